package dev.verdict.server.entities;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body that its reader can hold still. Vert.x's line parser resumes the stream under
 * it whenever it runs out of buffered lines, which undoes a pause made on the request itself; an
 * import that holds the body while it writes a batch must not receive more lines than it can
 * keep. While held, the parser's own resume and fetch calls are not passed on.
 */
final class HeldStream implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private boolean held;

  HeldStream(ReadStream<Buffer> source) {
    this.source = source;
  }

  /** Pauses the body until {@link #release}. */
  void hold() {
    held = true;
    source.pause();
  }

  void release() {
    held = false;
    source.resume();
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (!held) {
      source.resume();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (!held) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
