package io.governedrecovery.approval;

import org.keycloak.TokenCategory;
import org.keycloak.representations.JsonWebToken;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The approval link's key: a token signed with the realm's internal key (as Keycloak's own action tokens), naming the
 * approval request and the approver it was sent to, expiring with the request. The request's single decision makes
 * every link of it single-use.
 */
public class ApprovalToken extends JsonWebToken {

    public static final String TYPE = "governed-recovery-approval";

    @JsonProperty("aid")
    private String approvalId;

    public ApprovalToken() {
        // for Jackson
    }

    ApprovalToken(String approvalId, String approverId, String issuer, long expiresAtMillis) {
        this.approvalId = approvalId;
        subject(approverId);
        issuer(issuer);
        type(TYPE);
        id(java.util.UUID.randomUUID().toString());
        issuedNow();
        exp(expiresAtMillis / 1000);
    }

    public String getApprovalId() {
        return approvalId;
    }

    @Override
    public TokenCategory getCategory() {
        return TokenCategory.INTERNAL;
    }
}
