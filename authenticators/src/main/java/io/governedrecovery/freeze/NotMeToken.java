package io.governedrecovery.freeze;

import org.keycloak.TokenCategory;
import org.keycloak.representations.JsonWebToken;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The key of a "This was not me" link: a token signed with the realm's internal key (as Keycloak's own action tokens
 * are), naming the account ({@code sub}), what the notice told its owner ({@code n}, for example
 * {@code password-reset}) and when that happened ({@code at}, epoch seconds). It expires after the realm's link
 * lifetime. Kept small, as it also travels in text messages.
 */
public class NotMeToken extends JsonWebToken {

    public static final String TYPE = "governed-recovery-not-me";
    /** The type of a waiting recovery's cancel link (claim {@code w} names the wait). */
    public static final String TYPE_WAIT_CANCEL = "governed-recovery-wait-cancel";

    @JsonProperty("n")
    private String notice;

    @JsonProperty("at")
    private Long happenedAt;

    /** The account's link generation when issued: a helpdesk's lift starts a new one. */
    @JsonProperty("g")
    private Long generation;

    /** The waiting recovery a cancel link ends. */
    @JsonProperty("w")
    private String waitId;

    public NotMeToken() {
        // for Jackson
    }

    NotMeToken(String type, String userId, String notice, long happenedAtMillis, long generation, String issuer,
               long issuedAtSeconds, long expiresAtSeconds, String waitId) {
        this.notice = notice;
        this.waitId = waitId;
        this.generation = generation;
        this.happenedAt = happenedAtMillis / 1000;
        subject(userId);
        issuer(issuer);
        type(type);
        iat(issuedAtSeconds);
        exp(expiresAtSeconds);
    }

    public String getNotice() {
        return notice;
    }

    public String getWaitId() {
        return waitId;
    }

    public long getGeneration() {
        return generation == null ? 0 : generation;
    }

    /** When the reported change happened, epoch milliseconds (0 when the token does not say). */
    public long happenedAtMillis() {
        return happenedAt == null ? 0 : happenedAt * 1000;
    }

    @Override
    public TokenCategory getCategory() {
        return TokenCategory.INTERNAL;
    }
}
