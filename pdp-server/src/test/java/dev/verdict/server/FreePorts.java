package dev.verdict.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports for servers and cluster members a test starts later (a member must be told the others'
 * ports before they listen). A port is free when given but not held, and the system may give the
 * same one again to the next caller: two members would then be told the same port. So no port is
 * given twice in this JVM.
 */
public final class FreePorts {
  /** Far more than the ports a test run asks for; reaching it means the system keeps giving the same few. */
  private static final int ATTEMPTS = 1_000;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private FreePorts() {}

  /** A port free now and not given before in this JVM. */
  public static synchronized int next() throws IOException {
    for (int i = 0; i < ATTEMPTS; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (GIVEN.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
    throw new IOException("no free port not given before after " + ATTEMPTS + " attempts");
  }
}
