/*
 * Copyright (C)2009 - SSHJ Contributors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package net.schmizz.sshj.transport;

import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;

/**
 * sshj 0.40.0's transport reader thread, changed by obops in one place: it reads into a {@value
 * #RECEIVE_BUFFER_BYTES}-byte buffer, a piece of a packet at a time, instead of allocating sshj's
 * largest packet length (256 KiB) per connection for as long as the connection lives. {@link
 * Decoder#received} takes any number of bytes and says how many it needs next, so a packet longer
 * than the buffer simply arrives in several reads. With this, a connection costs tens of KiB of
 * heap instead of about 300, which is what lets obops keep one pooled connection per host for
 * clusters of a thousand servers (see io.obops.remote.SshRemoteShell). Loaded in place of sshj's
 * own class because ours comes first on the class path (target/classes, the jar's
 * BOOT-INF/classes); io.obops.remote.SshjReceiveBufferTest fails if that stops being so or sshj's
 * version changes.
 */
public final class Reader extends Thread {

  /** How many bytes a connection's reader holds for reading. */
  public static final int RECEIVE_BUFFER_BYTES = 16 * 1024;

  private final Logger log;
  private final TransportImpl trans;

  public Reader(TransportImpl trans) {
    this.trans = trans;
    log = trans.getConfig().getLoggerFactory().getLogger(getClass());
    setName("sshj-Reader");
    setDaemon(true);
  }

  @Override
  public void run() {
    try {

      final Decoder decoder = trans.getDecoder();
      final InputStream inp = trans.getConnInfo().in;

      final byte[] recvbuf = new byte[Math.min(RECEIVE_BUFFER_BYTES, decoder.getMaxPacketLength())];

      int needed = 1;

      while (!isInterrupted()) {
        int read;
        try {
          read = inp.read(recvbuf, 0, Math.min(needed, recvbuf.length));
        } catch (SocketTimeoutException e) {
          if (isInterrupted()) {
            throw e;
          }
          continue;
        }
        if (read == -1) {
          throw new TransportException("Broken transport; encountered EOF");
        } else {
          needed = decoder.received(recvbuf, read);
        }
      }
    } catch (Exception e) {
      // We are meant to shut up and draw to a close if interrupted
      if (!isInterrupted()) {
        trans.die(e);
      }
    }

    log.debug("Stopping");
  }
}
