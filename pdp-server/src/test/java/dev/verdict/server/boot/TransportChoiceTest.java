package dev.verdict.server.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How the server gets its Vert.x on the transport it is asked for, with failures made on purpose
 * in the build: where io_uring is missing here, each case checks the unavailable path instead.
 */
class TransportChoiceTest {
  private final List<Transport> asked = new ArrayList<>();

  private static boolean ioUringHere() {
    Transport uring = Transport.IO_URING;
    return uring != null && uring.available();
  }

  /** Builds on what it is given, refusing io_uring as a ring that cannot be set up would. */
  private Function<Transport, Vertx> refusingIoUring() {
    return t -> {
      asked.add(t);
      if (t != Transport.NIO) {
        throw new IllegalStateException("ring refused");
      }
      return Vertx.builder().withTransport(t).build();
    };
  }

  @Test
  void autoStartsOnNioWhenIoUringFailsToBuildAndSaysWhy() {
    TransportChoice.Started s = TransportChoice.start(IoTransport.AUTO, refusingIoUring());
    try {
      assertThat(s.transport().name()).isEqualTo("nio");
      assertThat(s.vertx().isNativeTransportEnabled()).isFalse();
      if (ioUringHere()) {
        assertThat(asked).containsExactly(Transport.IO_URING, Transport.NIO);
        assertThat(s.transport().fallback()).contains("event loops could not start on it: ring refused");
      } else {
        assertThat(asked).containsExactly(Transport.NIO);
        assertThat(s.transport().fallback()).isPresent();
      }
    } finally {
      s.vertx().close();
    }
  }

  @Test
  void ioUringByNameThatFailsToBuildIsAnError() {
    assertThatThrownBy(() -> TransportChoice.start(IoTransport.IO_URING, refusingIoUring()))
        .hasMessageContaining(ioUringHere() ? "ring refused" : "is not available here");
    assertThat(asked).doesNotContain(Transport.NIO);
  }

  @Test
  void aVertxThatQuietlyTookNioIsReportedAsNio() {
    Function<Transport, Vertx> alwaysNio = t -> {
      asked.add(t);
      return Vertx.builder().withTransport(Transport.NIO).build();
    };
    TransportChoice.Started s = TransportChoice.start(IoTransport.AUTO, alwaysNio);
    try {
      assertThat(s.transport().name()).isEqualTo("nio");
      assertThat(s.transport().fallback()).isPresent();
      if (ioUringHere()) {
        assertThat(s.transport().fallback().orElseThrow()).startsWith("Vert.x did not take it");
        assertThatThrownBy(() -> TransportChoice.start(IoTransport.IO_URING, alwaysNio))
            .hasMessageStartingWith("the io_uring transport (`transport` is `io_uring`) did not start");
      }
    } finally {
      s.vertx().close();
    }
  }

  @Test
  void nioNeverAsksForIoUring() {
    TransportChoice.Started s = TransportChoice.start(IoTransport.NIO, refusingIoUring());
    try {
      assertThat(asked).containsExactly(Transport.NIO);
      assertThat(s.transport()).isEqualTo(TransportChoice.NIO);
      assertThat(s.transport().fallback()).isEmpty();
    } finally {
      s.vertx().close();
    }
  }

  @Test
  void autoTakesIoUringWhereItRuns() {
    TransportChoice.Started s = TransportChoice.start(IoTransport.AUTO, t -> Vertx.builder().withTransport(t).build());
    try {
      assertThat(s.transport().name()).isEqualTo(ioUringHere() ? "io_uring" : "nio");
      assertThat(s.vertx().isNativeTransportEnabled()).isEqualTo(ioUringHere());
      assertThat(s.transport().fallback().isEmpty()).isEqualTo(ioUringHere());
    } finally {
      s.vertx().close();
    }
  }
}
