package io.governedrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecipientMaskingTest {

    @Test
    void a_mail_servers_refusal_is_logged_without_the_recipient() {
        String logged = DefaultRecoveryDeliveryFactory.withoutRecipients(
                "jakarta.mail.SendFailedException: Invalid Addresses; nested exception is: "
                        + "550 5.1.1 <anna.smith@example.test>: Recipient address rejected; SMS to +49 30 1234 5678");
        assertThat(logged).doesNotContain("anna.smith").doesNotContain("example.test").doesNotContain("1234 5678")
                .contains("SendFailedException").contains("550 5.1.1").contains("(recipient)");
    }
}
