package io.governedrecovery.adminapi;

import io.governedrecovery.governance.PolicySummary;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code .../policy}: the recovery policy in force, in plain words, with its problems (callers who may view the realm). */
public final class PolicyResource {

    private final Api api;

    PolicyResource(Api api) {
        this.api = api;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response summary() {
        api.auth.realm().requireViewRealm();
        return Api.json(Response.Status.OK, PolicySummary.of(api.session, api.realm));
    }
}
