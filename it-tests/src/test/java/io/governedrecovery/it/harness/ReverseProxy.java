package io.governedrecovery.it.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A private nginx (Debian's package) in front of Keycloak, as the README's "Production" section sets it up: it
 * terminates TLS on a free loopback port, re-encrypts to Keycloak's HTTPS port, and sets {@code X-Forwarded-For} to the
 * address of its own client (overwriting whatever the client sent), with {@code X-Forwarded-Proto}, {@code -Host} and
 * {@code -Port}. It connects to Keycloak from {@link #SOURCE_ADDRESS}, the only address Keycloak trusts for proxy
 * headers, so that a client that bypasses it (from 127.0.0.1) is not believed. Its own config file, pid file and logs
 * are in its work directory; no system service is touched.
 */
public final class ReverseProxy implements AutoCloseable {

    /** The address nginx connects to Keycloak from (Keycloak's --proxy-trusted-addresses). */
    public static final String SOURCE_ADDRESS = "127.0.0.2";

    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Path dir;
    private final int port;
    private final Process process;

    private ReverseProxy(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts nginx on a free loopback port, forwarding to Keycloak's HTTPS port {@code upstreamPort} on 127.0.0.1
     * (which need not be listening yet).
     */
    public static ReverseProxy start(Path dir, int upstreamPort, TlsCertificate tls) {
        if (!Files.isExecutable(NGINX)) {
            throw new HarnessException("The production-mode test needs nginx: apt-get install -y nginx "
                    + "(./run-tests.sh does this).");
        }
        int port = Ports.free();
        Path conf = dir.resolve("nginx.conf");
        try {
            for (String temp : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
                Files.createDirectories(dir.resolve("temp").resolve(temp));
            }
            Files.writeString(conf, config(dir, port, upstreamPort, tls), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HarnessException("Cannot write " + conf + ": " + e.getMessage(), e);
        }
        Path log = dir.resolve("nginx.out");
        // -e: the error log from the very start (before the config is read), not Debian's /var/log/nginx.
        Process process = Processes.start(List.of(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()), log);
        ReverseProxy proxy = new ReverseProxy(dir, port, process);
        proxy.awaitListening();
        return proxy;
    }

    /** The proxy's nginx.conf: the one the README shows, with this run's paths and ports. */
    static String config(Path dir, int port, int upstreamPort, TlsCertificate tls) {
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log notice;
                %6$s
                events { worker_connections 256; }
                http {
                  access_log %1$s/access.log;
                  client_body_temp_path %1$s/temp/body;
                  proxy_temp_path %1$s/temp/proxy;
                  fastcgi_temp_path %1$s/temp/fastcgi;
                  uwsgi_temp_path %1$s/temp/uwsgi;
                  scgi_temp_path %1$s/temp/scgi;
                  server {
                    listen 127.0.0.1:%2$d ssl;
                    server_name localhost;
                    ssl_certificate %4$s;
                    ssl_certificate_key %5$s;
                    location / {
                      proxy_pass https://127.0.0.1:%3$d;
                      proxy_bind %7$s;
                      proxy_ssl_verify on;
                      proxy_ssl_trusted_certificate %4$s;
                      proxy_ssl_name localhost;
                      proxy_set_header Host $host:$server_port;
                      proxy_set_header X-Forwarded-For $remote_addr;
                      proxy_set_header X-Forwarded-Proto $scheme;
                      proxy_set_header X-Forwarded-Host $host;
                      proxy_set_header X-Forwarded-Port $server_port;
                      proxy_buffer_size 128k;
                      proxy_buffers 4 256k;
                      proxy_busy_buffers_size 256k;
                    }
                  }
                }
                """.formatted(dir.toAbsolutePath(), port, upstreamPort, tls.certificate().toAbsolutePath(),
                tls.key().toAbsolutePath(), Processes.root() ? "user root;" : "", SOURCE_ADDRESS);
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new HarnessException("nginx exited with code " + process.exitValue() + " while starting: "
                        + tail(dir.resolve("error.log")) + tail(dir.resolve("nginx.out")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new HarnessException("Interrupted while waiting for nginx");
                }
            }
        }
        throw new HarnessException("nginx did not listen on " + port + " within 20 s: " + tail(dir.resolve("error.log")));
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }

    /** The public URL: https://localhost:port, Keycloak's --hostname. */
    public String url() {
        return "https://localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path configFile() {
        return dir.resolve("nginx.conf");
    }

    /** What nginx logged (its error log, where it also notes each start and stop). */
    public String errorLog() {
        return tail(dir.resolve("error.log"));
    }

    @Override
    public void close() {
        Processes.stop(process, 15);
    }
}
