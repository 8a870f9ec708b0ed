package io.governedrecovery.adminapi;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.util.JsonSerialization;

import io.governedrecovery.privileged.BreakGlassRecords;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * What every admin resource of one request shares: the session, the realm, Keycloak's permission evaluator and admin
 * event builder, and the JSON conventions (strict request bodies; answers never cached; errors as
 * {@code {"error": "..."}} in words that say what to send instead).
 */
final class Api {

    static final int MAX_BODY = 4096;
    /** Keycloak's JSON mapper, made strict for request bodies: unknown fields and wrong types are a 400. */
    private static final ObjectMapper STRICT = strict();
    /** Answers name every field, null ones too, so callers need not tell a missing field from an empty one. */
    private static final ObjectMapper ANSWERS = JsonSerialization.mapper.copy()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS);

    private static ObjectMapper strict() {
        ObjectMapper mapper = JsonSerialization.mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // "60" is not a number and "yes" or "true" in quotes not a boolean: say so instead of guessing.
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    final KeycloakSession session;
    final RealmModel realm;
    final AdminPermissionEvaluator auth;
    final AdminEventBuilder adminEvent;

    Api(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    /** The calling admin (a user of this realm or of the master realm). */
    UserModel caller() {
        return auth.adminAuth().getUser();
    }

    /**
     * The user {@code id} of this realm. As Keycloak's own user endpoints do, an unknown id is a 404 only for callers
     * who may query users, and a 403 for others, so ids cannot be probed.
     */
    UserModel user(String id) {
        UserModel user = id == null || id.length() > 255 ? null : session.users().getUserById(realm, id);
        if (user == null) {
            if (auth.users().canQuery()) {
                throw new ApiException(Response.Status.NOT_FOUND, "No user with this id.");
            }
            throw new ForbiddenException();
        }
        return user;
    }

    /** The user {@code id}, once the caller may view it (Keycloak's user permission). */
    UserModel viewable(String id) {
        UserModel user = user(id);
        auth.users().requireView(user);
        return user;
    }

    /** The user {@code id}, once the caller may manage it. */
    UserModel manageable(String id) {
        UserModel user = user(id);
        auth.users().requireManage(user);
        return user;
    }

    /** The user {@code id}, once the caller may reset its credentials. */
    UserModel resettable(String id) {
        UserModel user = user(id);
        auth.users().requireResetPassword(user);
        return user;
    }

    /** A request's ticket reference: required, 1 to 64 letters, digits or . _ : / # -; else a 400. */
    static String ticket(String ticket) {
        if (ticket == null || !BreakGlassRecords.TICKET.matcher(ticket).matches()) {
            throw new ApiException(Response.Status.BAD_REQUEST,
                    "'ticket' is required: 1 to 64 letters, digits or . _ : / # -");
        }
        return ticket;
    }

    /** A request's optional note: at most 200 characters, none of them a control character; else a 400. */
    static String note(String note) {
        if (note != null && (note.length() > 200 || note.chars().anyMatch(Character::isISOControl))) {
            throw new ApiException(Response.Status.BAD_REQUEST, "'note' must be text of at most 200 characters.");
        }
        return note;
    }

    /** Parses a JSON request body into {@code type}; a bad body is a 400 whose message shows {@code example}. */
    static <T> T body(String body, Class<T> type, String example) {
        if (body == null || body.isBlank() || body.length() > MAX_BODY) {
            throw new ApiException(Response.Status.BAD_REQUEST, "Send a JSON object of at most " + MAX_BODY
                    + " characters, for example " + example + ".");
        }
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) {
                throw new ApiException(Response.Status.BAD_REQUEST, "Send a JSON object, for example " + example + ".");
            }
            return value;
        } catch (IOException bad) {
            throw new ApiException(Response.Status.BAD_REQUEST, "The body is not what this endpoint takes ("
                    + reason(bad) + "); send for example " + example + ".");
        }
    }

    private static String reason(IOException bad) {
        if (bad instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'";
        }
        if (bad instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            return "field '" + mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName()
                    + "' has the wrong type";
        }
        return "not valid JSON";
    }

    /** This server's event pipeline, or null when the governed-recovery-events listener is not running. */
    static io.governedrecovery.events.pipeline.EventPipeline pipeline(KeycloakSession session) {
        var factory = session.getKeycloakSessionFactory().getProviderFactory(
                org.keycloak.events.EventListenerProvider.class,
                io.governedrecovery.events.RecoveryEventListenerFactory.PROVIDER_ID);
        return factory instanceof io.governedrecovery.events.RecoveryEventListenerFactory listener
                ? listener.pipeline() : null;
    }

    /** Records an admin event about {@code user}: {@code ACTION} on {@code users/<id>/governed-recovery/<path>}. */
    void userEvent(UserModel user, String path, Object representation) {
        adminEvent.operation(OperationType.ACTION).resource(ResourceType.USER)
                .resourcePath("users", user.getId(), "governed-recovery", path).representation(representation)
                .success();
    }

    static Response json(Response.Status status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .entity(ANSWERS.writeValueAsString(body)).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
