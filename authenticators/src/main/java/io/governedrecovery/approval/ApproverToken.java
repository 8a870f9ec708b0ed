package io.governedrecovery.approval;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;

import io.governedrecovery.compat.KeycloakApi;

/**
 * The bearer token of an approver calling the approvals endpoint: a valid token of the realm, of an enabled user,
 * issued for the realm's Governed Recovery client ({@value #CLIENT_ID}, which puts itself in the token's audience).
 * A token any other client received for the same user (a third-party application replaying it) is refused: 401
 * without a valid token, 403 with one meant for someone else.
 */
public final class ApproverToken {

    /** The realm's Governed Recovery client (the recovery console), declared in the shipped realm files. */
    public static final String CLIENT_ID = "governed-recovery-console";

    private ApproverToken() {
    }

    public static UserModel caller(KeycloakSession session, RealmModel realm) {
        AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session).setRealm(realm)
                .authenticate();
        UserModel user = auth == null ? null : KeycloakApi.user(auth);
        if (user == null || !user.isEnabled()) {
            throw new NotAuthorizedException("Bearer");
        }
        AccessToken token = KeycloakApi.token(auth);
        if (token == null || !token.hasAudience(CLIENT_ID)) {
            throw new ForbiddenException("This endpoint takes tokens issued for the client " + CLIENT_ID + ".");
        }
        return user;
    }
}
