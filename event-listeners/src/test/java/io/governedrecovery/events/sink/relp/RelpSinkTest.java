package io.governedrecovery.events.sink.relp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.teragrep.rlp_01.RelpBatch;
import com.teragrep.rlp_01.RelpFrameRX;

import io.governedrecovery.events.sink.DeliveryException;

/** What a RELP receiver's answers mean for the batch: delivered, sent again later, or refused (counted, parked). */
class RelpSinkTest {

    private static RelpFrameRX answer(long txn, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return new RelpFrameRX((int) txn, "rsp", data.length, ByteBuffer.wrap(data));
    }

    @Test
    void every_message_acknowledged_is_a_delivery() {
        RelpBatch batch = new RelpBatch();
        long a = batch.insert("a".getBytes());
        long b = batch.insert("b".getBytes());
        batch.putResponse(a, answer(a, "200 OK"));
        batch.putResponse(b, answer(b, "200 OK"));
        assertThat(RelpSink.verdict(batch, List.of(a, b), "rsyslog:2514")).isNull();
    }

    @Test
    void a_message_the_receiver_refuses_counts_against_its_record_instead_of_blocking_the_sink() {
        RelpBatch batch = new RelpBatch();
        long a = batch.insert("a".getBytes());
        long b = batch.insert("b".getBytes());
        batch.putResponse(a, answer(a, "200 OK"));
        batch.putResponse(b, answer(b, "500 message too large"));
        DeliveryException verdict = RelpSink.verdict(batch, List.of(a, b), "rsyslog:2514");
        assertThat(verdict).isNotNull();
        assertThat(verdict.permanent()).as("a refusal counts towards parking").isTrue();
        assertThat(verdict.getMessage()).contains("refused 1 of 2").contains("500");
    }

    @Test
    void a_message_left_without_an_answer_is_sent_again_and_never_counted() {
        RelpBatch batch = new RelpBatch();
        long a = batch.insert("a".getBytes());
        long b = batch.insert("b".getBytes());
        batch.putResponse(a, answer(a, "500 busy"));
        DeliveryException verdict = RelpSink.verdict(batch, List.of(a, b), "rsyslog:2514");
        assertThat(verdict).isNotNull();
        assertThat(verdict.permanent()).isFalse();
    }
}
