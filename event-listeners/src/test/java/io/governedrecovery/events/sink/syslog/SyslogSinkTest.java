package io.governedrecovery.events.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.sink.DeliveryException;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

class SyslogSinkTest {

    private final RecordCodec codec = new RecordCodec(new ObjectMapper());
    private final SyslogMessages messages = new SyslogMessages("keycloak", new OcsfRecords(codec, "test"));

    @TempDir
    Path dir;

    private List<EventSink.Encoded> batch(String id) {
        OutboxRecord r = codec.record(new RecoveryEvent(id, 1, RecoveryEvent.Kind.USER, "LOGIN_ERROR", "realm", "r",
                "c", "u", null, "x", Map.of()));
        return List.of(new EventSink.Encoded(r, messages.encode(r)));
    }

    @Test
    void with_tls_the_receivers_certificate_must_name_the_configured_host() throws Exception {
        char[] password = "changeit".toCharArray();
        Path keystore = dir.resolve("receiver.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        List<String> received = new CopyOnWriteArrayList<>();
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                        received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        // a refused handshake, or the end of the test
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = listener.getLocalPort();

            // Trusted certificate, but issued to "localhost": connecting as 127.0.0.1 must fail.
            SyslogSink byAddress = new SyslogSink("127.0.0.1", port, client.getSocketFactory(), 3000, messages);
            assertThatThrownBy(() -> byAddress.deliver(batch("e1"))).isInstanceOf(DeliveryException.class)
                    .hasMessageContaining("127.0.0.1");
            byAddress.close();

            SyslogSink byName = new SyslogSink("localhost", port, client.getSocketFactory(), 3000, messages);
            byName.deliver(batch("e2"));
            byName.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.stream().noneMatch(m -> m.contains("id=\"e2\"")) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(received).anyMatch(m -> m.contains("id=\"e2\""));
            assertThat(received).noneMatch(m -> m.contains("id=\"e1\""));
        }
    }

    @Test
    void a_connection_the_receiver_closed_is_reopened_before_the_next_batch() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                int connection = 0;
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        connection++;
                        // one frame: "<length> <message>"; read it whole, then close, as an idle timeout does
                        InputStream in = s.getInputStream();
                        StringBuilder length = new StringBuilder();
                        for (int c = in.read(); c != ' ' && c >= 0; c = in.read()) {
                            length.append((char) c);
                        }
                        byte[] message = in.readNBytes(Integer.parseInt(length.toString()));
                        received.add(connection + ":" + new String(message, StandardCharsets.UTF_8));
                    } catch (Exception e) {
                        // end of test
                    }
                    closed.incrementAndGet();
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SyslogSink sink = new SyslogSink("127.0.0.1", listener.getLocalPort(), null, 3000, messages);
            sink.deliver(batch("first"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (closed.get() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until the receiver has closed the connection, as after an idle timeout
            }
            sink.deliver(batch("second"));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            sink.close();
            assertThat(received).hasSize(2);
            assertThat(received.get(1)).startsWith("2:").contains("id=\"second\"");
        }
    }
}
