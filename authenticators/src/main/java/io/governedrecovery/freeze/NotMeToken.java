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

    @JsonProperty("n")
    private String notice;

    @JsonProperty("at")
    private Long happenedAt;

    /** The account's link generation when issued: a helpdesk's lift starts a new one. */
    @JsonProperty("g")
    private Long generation;

    public NotMeToken() {
        // for Jackson
    }

    NotMeToken(String userId, String notice, long happenedAtMillis, long generation, String issuer,
               long issuedAtSeconds, long expiresAtSeconds) {
        this.notice = notice;
        this.generation = generation;
        this.happenedAt = happenedAtMillis / 1000;
        subject(userId);
        issuer(issuer);
        type(TYPE);
        iat(issuedAtSeconds);
        exp(expiresAtSeconds);
    }

    public String getNotice() {
        return notice;
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
