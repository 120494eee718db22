package dev.verdict.sdk.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/** Holds what the application writes (up to a bound) so the filter can mask it before it is sent. */
final class BufferedResponse extends HttpServletResponseWrapper {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final int limit;
  private boolean overflowed;
  private PrintWriter writer;
  private ServletOutputStream stream;

  BufferedResponse(HttpServletResponse response, int limit) {
    super(response);
    this.limit = limit;
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (stream == null) {
      stream = new ServletOutputStream() {
        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener l) {
          throw new IllegalStateException("VerdictFilter masks the response; write it synchronously");
        }

        @Override
        public void write(int b) {
          if (buffer.size() >= limit) {
            overflowed = true;
            return;
          }
          buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          if (buffer.size() + (long) len > limit) {
            overflowed = true;
            return;
          }
          buffer.write(b, off, len);
        }
      };
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      String enc = getCharacterEncoding();
      writer = new PrintWriter(new OutputStreamWriter(getOutputStream(),
          enc == null ? java.nio.charset.StandardCharsets.UTF_8 : Charset.forName(enc)));
    }
    return writer;
  }

  // The length and flushing are the filter's once the body is masked.
  @Override
  public void setContentLength(int len) {}

  @Override
  public void setContentLengthLong(long len) {}

  @Override
  public void flushBuffer() {}

  boolean overflowed() {
    return overflowed;
  }

  byte[] bytes() {
    if (writer != null) {
      writer.flush();
    }
    return buffer.toByteArray();
  }
}
