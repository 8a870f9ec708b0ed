package io.governedrecovery.approval;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;

import jakarta.ws.rs.core.UriBuilder;

/** Where approval links point: {@code /realms/<realm>/governed-recovery/approval?key=...} on the frontend URL. */
public final class ApprovalLinks {

    public static final String RESOURCE = "governed-recovery";

    private ApprovalLinks() {
    }

    public static String link(KeycloakSession session, RealmModel realm, String key) {
        return base(session, realm).path("approval").queryParam("key", key).build().toString();
    }

    public static UriBuilder base(KeycloakSession session, RealmModel realm) {
        return UriBuilder.fromUri(Urls.realmBase(session.getContext().getUri().getBaseUri()).build())
                .path(realm.getName()).path(RESOURCE);
    }

    public static String issuer(KeycloakSession session, RealmModel realm) {
        return Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName());
    }
}
