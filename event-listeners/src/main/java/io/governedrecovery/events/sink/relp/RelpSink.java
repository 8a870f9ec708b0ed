package io.governedrecovery.events.sink.relp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.jboss.logging.Logger;

import com.teragrep.rlp_01.RelpBatch;
import com.teragrep.rlp_01.RelpConnection;
import com.teragrep.rlp_01.RelpFrameRX;

import io.governedrecovery.events.sink.DeliveryException;
import io.governedrecovery.events.sink.syslog.SyslogMessages;
import io.governedrecovery.events.sink.syslog.SyslogTransport;

/**
 * RFC 5424 syslog over RELP (the Reliable Event Logging Protocol of rsyslog, client {@code com.teragrep:rlp_01}): the
 * receiver acknowledges every message, and a batch counts as delivered only when every message in it was acknowledged
 * with 200. A receiver that restarts, closes the connection or vanishes mid-batch leaves messages unacknowledged: the
 * batch is sent again (duplicates carry the same id; nothing is lost). TLS optional, through Keycloak's truststore, with
 * the receiver's host name verified.
 */
public final class RelpSink extends SyslogTransport {

    private static final Logger LOG = Logger.getLogger(RelpSink.class);

    private final SSLContext tls;
    private RelpConnection connection;

    /** @param tls the TLS context (Keycloak's truststore: {@link SSLContext#getDefault()}), or null for plain RELP */
    public RelpSink(String host, int port, SSLContext tls, int timeoutMillis, SyslogMessages messages) {
        super(host, port, timeoutMillis, messages);
        this.tls = tls;
    }

    @Override
    public synchronized void deliver(List<Encoded> batch) throws DeliveryException {
        try {
            // rlp_01 bounds every connect, read and write by the timeouts set below.
            RelpConnection relp = connection();
            RelpBatch frames = new RelpBatch();
            List<Long> ids = new ArrayList<>(batch.size());
            for (Encoded e : batch) {
                ids.add(frames.insert(e.bytes()));
            }
            relp.commit(frames);
            DeliveryException failure = verdict(frames, ids, host + ":" + port);
            if (failure != null) {
                if (!failure.permanent()) {
                    tearDown();
                }
                throw failure;
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            tearDown();
            if (e instanceof DeliveryException d) {
                throw d;
            }
            throw DeliveryException.unavailable("RELP receiver " + host + ":" + port + ": " + e, e);
        }
    }

    /**
     * What the receiver's answers mean: null when it acknowledged every message with 200; a message without an answer
     * (the connection broke) is sent again later; a message answered with anything else was refused by the receiver
     * (counted against its record, parked after {@code dead-letter-after} refusals, so it cannot block the sink).
     */
    static DeliveryException verdict(RelpBatch frames, List<Long> ids, String receiver) {
        int unanswered = 0;
        int refused = 0;
        String answer = null;
        for (long id : ids) {
            if (frames.verifyTransaction(id)) {
                continue;
            }
            RelpFrameRX response = frames.getResponse(id);
            if (response == null) {
                unanswered++;
            } else {
                refused++;
                answer = new String(response.getData(), java.nio.charset.StandardCharsets.UTF_8).trim();
            }
        }
        if (unanswered > 0) {
            return DeliveryException.unavailable("RELP receiver " + receiver + " did not acknowledge " + unanswered
                    + " of " + ids.size() + " messages", null);
        }
        if (refused > 0) {
            return DeliveryException.refused("RELP receiver " + receiver + " refused " + refused + " of " + ids.size()
                    + " messages (answer: " + answer + ")");
        }
        return null;
    }

    private RelpConnection connection() throws IOException, TimeoutException {
        if (connection == null) {
            RelpConnection relp = tls == null ? new RelpConnection() : new RelpConnection(this::engine);
            relp.setConnectionTimeout(timeoutMillis);
            relp.setReadTimeout(timeoutMillis);
            relp.setWriteTimeout(timeoutMillis);
            if (!relp.connect(host, port)) {
                relp.tearDown();
                throw new IOException("the receiver refused to open a RELP session");
            }
            connection = relp;
        }
        return connection;
    }

    private SSLEngine engine() {
        SSLEngine engine = tls.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
        engine.setSSLParameters(params);
        return engine;
    }

    private void tearDown() {
        if (connection != null) {
            connection.tearDown();
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.disconnect();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debugf("Governed Recovery could not close the RELP session politely: %s", e);
            }
            tearDown();
        }
    }
}
