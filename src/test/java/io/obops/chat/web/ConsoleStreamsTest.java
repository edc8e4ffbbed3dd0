package io.obops.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.testsupport.PostgresSpringTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The console's live streams end cleanly: a closed tab is forgotten without an error in the log,
 * and shutting down ends every open stream at once (instead of the web server waiting 30 s for
 * each).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"obops.embedded=true", "obops.sandbox.enabled=false"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ConsoleStreamsTest extends PostgresSpringTest {

  @LocalServerPort int port;
  @Autowired ConsoleStreams streams;

  /** Opens bob's event stream and reads up to its hello. */
  private Socket listen() throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /console/api/events?user=bob HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.startsWith("event:hello")) {
      // headers and chunk sizes
    }
    return socket;
  }

  @Test
  void aClosedTabIsForgottenWithoutAnErrorInTheLog(CapturedOutput output) throws Exception {
    listen().close();

    // posts and edits go to every stream: the closed one fails on write and is dropped
    RawHttp alice = RawHttp.to(port).asConsole("alice");
    assertThat(alice.post("/console/api/command", "{\"text\":\"stop demo tab check\"}").body())
        .contains("is posted");
    for (int i = 0; i < 50 && streams.size() > 0; i++) {
      alice.post("/console/api/command", "{\"text\":\"stop demo again\"}");
    }

    assertThat(streams.size()).isZero();
    assertThat(output.getAll()).doesNotContain(" ERROR ", "\tat ", "Broken pipe");
  }

  @Test
  void shuttingDownEndsEveryOpenStreamAtOnce() throws Exception {
    try (Socket tab = listen()) {
      assertThat(streams.size()).isEqualTo(1);

      streams.stop();

      // the response ends: the stream's last chunk arrives and the reader sees its end
      BufferedReader in =
          new BufferedReader(new InputStreamReader(tab.getInputStream(), StandardCharsets.UTF_8));
      String line;
      String last = null;
      while ((line = in.readLine()) != null && !line.equals("0")) {
        last = line;
      }
      assertThat(line).as("after " + last).isEqualTo("0");
      assertThat(streams.size()).isZero();
    }
  }
}
