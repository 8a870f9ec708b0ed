package io.governedrecovery.it.provider;

import org.keycloak.common.util.Time;
import org.keycloak.models.AdminRoles;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import io.governedrecovery.spi.StatelessFactory;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * TEST ONLY, never shipped: lets the integration tests move Keycloak's clock ({@link Time#setOffset}) instead of
 * waiting, as Keycloak's own test suite does. {@code PUT /realms/master/governed-recovery-test-clock/offset?seconds=<seconds>}
 * with a token of the master realm's admin. Built into its own JAR by it-tests and copied only into the test
 * distribution's providers/.
 */
public final class TestClockResourceFactory implements RealmResourceProviderFactory,
        StatelessFactory<RealmResourceProvider> {

    @Override
    public String getId() {
        return "governed-recovery-test-clock";
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                return new Clock(session);
            }

            @Override
            public void close() {
                // per request
            }
        };
    }

    /** The resource: sets the offset of Keycloak's clock in seconds. */
    public static final class Clock {

        private final KeycloakSession session;

        Clock(KeycloakSession session) {
            this.session = session;
        }

        @PUT
        @Path("offset")
        public Response offset(@QueryParam("seconds") int seconds) {
            RealmModel realm = session.getContext().getRealm();
            AuthenticationManager.AuthResult auth = new AppAuthManager.BearerTokenAuthenticator(session)
                    .setRealm(realm).authenticate();
            if (auth == null) {
                throw new NotAuthorizedException("Bearer");
            }
            RoleModel admin = realm.getRole(AdminRoles.ADMIN);
            if (!"master".equals(realm.getName()) || admin == null || !auth.user().hasRole(admin)) {
                throw new ForbiddenException();
            }
            Time.setOffset(seconds);
            return Response.noContent().build();
        }
    }

    @Override
    public void close() {
        Time.setOffset(0);
    }
}
