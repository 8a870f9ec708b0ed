package io.governedrecovery.reset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.delivery.MailTimes;
import io.governedrecovery.delivery.OutboundMessage;
import io.governedrecovery.delivery.RecoveryDelivery;

/**
 * Runs right after Keycloak's own password update in a governed reset: ends the user's other sessions (and, by
 * default, offline sessions), notifies every channel the user has ("your password was reset; not you? ...") in the
 * user's language, and records the completed reset. It shows no page of its own.
 */
final class FinishResetAction implements RequiredActionProvider {

    private static final Logger LOG = Logger.getLogger(FinishResetAction.class);

    static final String NOTIFY_PHONE = ResetState.PREFIX + "notify-phone";
    static final String END_OFFLINE = ResetState.PREFIX + "end-offline";
    static final String HELPDESK_TEXT = ResetState.PREFIX + "helpdesk-text";
    static final String HELPDESK_URL = ResetState.PREFIX + "helpdesk-url";


    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // Added by the governed reset step only.
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        UserModel user = context.getUser();
        long satisfiedAt = ResetState.satisfiedAt(authSession, user);
        if (satisfiedAt < 0) {
            context.success(); // not a governed reset of this user: nothing to finish
            return;
        }
        if (!passwordChangedSince(user, satisfiedAt)) {
            LOG.warnf("Governed Recovery: reset of a user in realm '%s' finished without a new password; "
                    + "put '%s' after 'Update Password' in the required actions' order", context.getRealm().getName(),
                    FinishResetActionFactory.ID);
            RecoveryEvents.finished(context, "no_password_change", 0).error(RecoveryEvents.ERROR_MISCONFIGURED);
            context.success();
            return;
        }
        List<String> lost = lostDeviceCandidates(user, ResetState.provenMethods(authSession, user));
        if (!lost.isEmpty() && authSession.getAuthNote(LOST_ASKED) == null) {
            // A lost phone or key: the reset was proven without it, so it may go now, before anything else.
            authSession.setAuthNote(LOST_ASKED, String.join(",", lost));
            context.challenge(context.form().setAttribute("lost", new LostDevicesBean(lost))
                    .createForm(LOST_TEMPLATE));
            return;
        }
        finish(context, user, satisfiedAt);
    }

    private void finish(RequiredActionContext context, UserModel user, long satisfiedAt) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        boolean privileged = ResetState.satisfiedBranch(authSession, user) == ResetSettings.Branch.PRIVILEGED;
        int ended = endOtherSessions(context, "true".equals(authSession.getAuthNote(END_OFFLINE)));
        notifyChannels(context, user);
        // The tier tells the event pipeline to notify the other administrators of a privileged reset.
        RecoveryEvents.finished(context, "reset", ended)
                .detail(RecoveryEvents.TIER, privileged ? EventDetails.TIER_PRIVILEGED : EventDetails.TIER_STANDARD)
                .success();
        for (String note : List.of(NOTIFY_PHONE, END_OFFLINE, HELPDESK_TEXT, HELPDESK_URL, ResetState.SATISFIED_AT,
                LOST_ASKED)) {
            authSession.removeAuthNote(note);
        }
        context.success();
    }

    private static boolean passwordChangedSince(UserModel user, long since) {
        return user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(CredentialModel::getCreatedDate)
                .anyMatch(created -> created != null && created >= since);
    }

    private static int endOtherSessions(RequiredActionContext context, boolean offlineToo) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        String current = context.getAuthenticationSession().getParentSession().getId();
        List<UserSessionModel> sessions = new ArrayList<>(session.sessions()
                .getUserSessionsStream(realm, context.getUser())
                .filter(s -> !s.getId().equals(current)).toList());
        if (offlineToo) {
            sessions.addAll(session.sessions().getOfflineUserSessionsStream(realm, context.getUser()).toList());
        }
        for (UserSessionModel userSession : sessions) {
            AuthenticationManager.backchannelLogout(session, realm, userSession, context.getUriInfo(),
                    context.getConnection(), context.getHttpRequest().getHttpHeaders(), true);
        }
        return sessions.size();
    }

    private static void notifyChannels(RequiredActionContext context, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        RecoveryDelivery delivery = context.getSession().getProvider(RecoveryDelivery.class);
        Locale locale = context.getSession().getContext().resolveLocale(user);
        RealmModel realm = context.getRealm();
        String when = MailTimes.format(System.currentTimeMillis());
        String ip = context.getConnection().getRemoteHost();
        String helpdesk = helpdesk(authSession);
        if (user.getEmail() != null && !user.getEmail().isBlank()) {
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("when", when);
            attributes.put("ip", ip == null ? "" : ip);
            attributes.put("helpdesk", helpdesk);
            delivery.afterCommit(new OutboundMessage.Email(realm.getId(), user.getId(), user.getEmail(),
                    "governed-recovery-notice.ftl", "governedRecoveryNoticeSubject", List.of(), attributes, locale,
                    "reset-notice", null));
        }
        String phone = authSession.getAuthNote(NOTIFY_PHONE);
        if (phone != null && !phone.isBlank()) {
            String realmName = realm.getDisplayName() != null ? realm.getDisplayName() : realm.getName();
            delivery.afterCommit(new OutboundMessage.Sms(realm.getId(), user.getId(), phone, "governedRecoveryNoticeSms",
                    List.of(realmName, when, helpdesk), locale, "reset-notice", null));
        }
    }

    private static String helpdesk(AuthenticationSessionModel authSession) {
        String text = authSession.getAuthNote(HELPDESK_TEXT);
        String url = authSession.getAuthNote(HELPDESK_URL);
        if (text == null && url == null) {
            return "";
        }
        return text == null ? url : url == null ? text : text + " " + url;
    }

    @Override
    public void processAction(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        UserModel user = context.getUser();
        long satisfiedAt = ResetState.satisfiedAt(authSession, user);
        String offered = authSession.getAuthNote(LOST_ASKED);
        if (satisfiedAt < 0 || offered == null || !passwordChangedSince(user, satisfiedAt)) {
            requiredActionChallenge(context);
            return;
        }
        List<String> removable = List.of(offered.split(","));
        List<String> chosen = context.getHttpRequest().getDecodedFormParameters().getOrDefault("remove", List.of())
                .stream().filter(removable::contains).distinct().toList();
        for (String methodId : chosen) {
            for (String type : LOST_TYPES.get(methodId)) {
                for (CredentialModel credential : user.credentialManager().getStoredCredentialsByTypeStream(type)
                        .toList()) {
                    user.credentialManager().removeStoredCredentialById(credential.getId());
                    context.getEvent().clone().event(EventType.REMOVE_CREDENTIAL).user(user)
                            .detail("credential_type", type).detail(EventDetails.STEP, "lost_device")
                            .detail(EventDetails.METHOD, methodId).success();
                }
            }
        }
        finish(context, user, satisfiedAt);
    }

    /**
     * The strong methods the account has but did not prove in this reset: a lost phone (authenticator app) or key
     * (passkey) that the person may now remove.
     */
    static List<String> lostDeviceCandidates(UserModel user, List<String> proven) {
        List<String> candidates = new ArrayList<>();
        for (var entry : LOST_TYPES.entrySet()) {
            boolean has = entry.getValue().stream()
                    .anyMatch(type -> user.credentialManager().getStoredCredentialsByTypeStream(type).findAny()
                            .isPresent());
            if (has && !proven.contains(entry.getKey())) {
                candidates.add(entry.getKey());
            }
        }
        return candidates;
    }

    static final String LOST_ASKED = ResetState.PREFIX + "lost-devices";
    static final String LOST_TEMPLATE = "governed-recovery-lost.ftl";
    /** Method id to the credential types it stands for, in the order shown. */
    private static final Map<String, List<String>> LOST_TYPES = lostTypes();

    private static Map<String, List<String>> lostTypes() {
        Map<String, List<String>> types = new java.util.LinkedHashMap<>();
        types.put("totp", List.of(org.keycloak.models.credential.OTPCredentialModel.TYPE));
        types.put("webauthn", List.of(org.keycloak.models.credential.WebAuthnCredentialModel.TYPE_PASSWORDLESS,
                org.keycloak.models.credential.WebAuthnCredentialModel.TYPE_TWOFACTOR));
        return java.util.Collections.unmodifiableMap(types);
    }

    @Override
    public void close() {
        // Stateless.
    }
}
