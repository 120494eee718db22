package dev.verdict.server.http.v1;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A body's bytes where they were received: {@code array[offset, offset + length)}. A body
 * received into a heap buffer is read in its own array, without the copy {@link Buffer#getBytes()}
 * makes of every body; the array is read only while the request is (nothing read from it keeps it).
 */
public record ReceivedBytes(byte[] array, int offset, int length) {
  /** {@code body}'s bytes, in place when it has a heap array, else copied; null for no body. */
  public static ReceivedBytes of(Buffer body) {
    if (body == null) {
      return null;
    }
    if (body instanceof BufferInternal internal) {
      ByteBuf b = internal.unwrap();
      if (b.hasArray()) {
        return new ReceivedBytes(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
      }
    }
    byte[] copy = body.getBytes();
    return new ReceivedBytes(copy, 0, copy.length);
  }
}
