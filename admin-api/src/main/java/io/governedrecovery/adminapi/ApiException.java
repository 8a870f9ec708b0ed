package io.governedrecovery.adminapi;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** A refused request: its status and a message for the caller, answered as {@code {"error": "..."}}. */
final class ApiException extends WebApplicationException {

    private static final long serialVersionUID = 1L;

    ApiException(Response.Status status, String message) {
        super(message, Api.json(status, Map.of("error", message)));
    }
}
