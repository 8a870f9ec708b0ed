package io.governedrecovery.events.sink.syslog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.governedrecovery.events.sink.Deadlines;
import io.governedrecovery.events.sink.DeliveryException;

/**
 * RFC 5424 syslog over TCP (RFC 6587 octet-counted frames), TLS optional. Best effort: TCP acknowledges what the
 * kernel buffered, not what the receiver stored, so a receiver that restarts or vanishes can lose the batch in flight.
 * Use RELP ({@code syslog-protocol=relp}) where that matters. Within that limit: over plain TCP a connection the
 * receiver has closed (an idle timeout) is noticed and reopened before a batch is written; over TLS it is noticed only
 * when a write fails (a TLS read would block on a partial record), so the batch written into such a connection can be
 * lost. Every write has a deadline, and with TLS the receiver's certificate must name the configured host.
 */
public final class SyslogSink extends SyslogTransport {

    private final SSLSocketFactory tls;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    /** @param tls the TLS socket factory (Keycloak's truststore: {@link SSLSocketFactory#getDefault()}), or null */
    public SyslogSink(String host, int port, SSLSocketFactory tls, int timeoutMillis, SyslogMessages messages) {
        super(host, port, timeoutMillis, messages);
        this.tls = tls;
    }

    @Override
    public void deliver(List<Encoded> batch) throws DeliveryException {
        try (Deadlines.Deadline ignored = Deadlines.after(timeoutMillis, this::close)) {
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            for (Encoded e : batch) {
                frames.write((e.bytes().length + " ").getBytes(StandardCharsets.US_ASCII));
                frames.write(e.bytes());
            }
            OutputStream stream = connection();
            frames.writeTo(stream);
            stream.flush();
        } catch (IOException | RuntimeException e) {
            close();
            throw DeliveryException.unavailable("syslog receiver " + host + ":" + port + ": " + e, e);
        }
    }

    private OutputStream connection() throws IOException {
        if (out != null && closedByPeer()) {
            close();
        }
        if (out == null) {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            Socket s = plain;
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                s = ssl;
            }
            socket = s;
            out = s.getOutputStream();
            in = s.getInputStream();
        }
        return out;
    }

    /** A syslog receiver never sends; anything readable on the connection means it was closed (or is broken). */
    private boolean closedByPeer() {
        if (tls != null) {
            return false; // a TLS read would block on a partial record; rely on the write failing instead
        }
        try {
            socket.setSoTimeout(1);
            try {
                in.read(); // -1 (closed) or unexpected data: either way start afresh
                return true;
            } finally {
                socket.setSoTimeout(timeoutMillis);
            }
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException broken) {
            return true;
        }
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // a broken connection is reopened on the next batch
            }
        }
        socket = null;
        out = null;
        in = null;
    }
}
