package io.governedrecovery.governance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.approval.ApprovalAuthenticatorFactory;
import io.governedrecovery.approval.ApprovalSettings;
import io.governedrecovery.controls.ControlSettings;
import io.governedrecovery.controls.PilotCondition;
import io.governedrecovery.controls.PilotConditionFactory;
import io.governedrecovery.controls.RecoveryControlsAuthenticatorFactory;
import io.governedrecovery.flow.RecoveryEvents;
import io.governedrecovery.flow.ResetFlow;
import io.governedrecovery.method.RecoveryMethod;
import io.governedrecovery.method.RecoveryMethods;
import io.governedrecovery.privileged.PrivilegedAccountConditionFactory;
import io.governedrecovery.privileged.TierDefinition;
import io.governedrecovery.reset.ResetSteps;
import io.governedrecovery.reset.GovernedResetAuthenticatorFactory;
import io.governedrecovery.reset.ResetSettings;

/**
 * A plain-language summary of the recovery policy a realm has in force, generated from its live configuration (the
 * reset-credentials flow's steps and the required actions), with every setting that is broken or risky listed as a
 * problem in the words of its own error message. For admins and auditors; the admin-console page will show it.
 */
public final class PolicySummary {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final List<String> statements = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Map<String, Object>> addressLists = new ArrayList<>();
    private final List<String> installed;
    private final java.util.Set<String> reportedUnavailable = new java.util.HashSet<>();

    private PolicySummary(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.installed = RecoveryMethods.installed(session.getKeycloakSessionFactory());
    }

    public static Map<String, Object> of(KeycloakSession session, RealmModel realm) {
        PolicySummary summary = new PolicySummary(session, realm);
        summary.describe();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("realm", realm.getName());
        body.put("statements", summary.statements);
        body.put("problems", summary.problems);
        body.put("addressLists", summary.addressLists);
        return body;
    }

    private void describe() {
        unmanagedAttributes();
        if (io.governedrecovery.freeze.NotMeLinks.base(realm).isEmpty()) {
            problems.add("Notices to account owners go without their 'This was not me' link: Keycloak knows no public "
                    + "address for this realm. Set Keycloak's hostname to its public URL (--hostname=https://...) or "
                    + "the realm's Frontend URL (Realm settings, General). Links never take the address a request "
                    + "named: its Host header is the client's choice.");
        }
        var flow = realm.getResetCredentialsFlow();
        if (flow == null) {
            problems.add("The realm has no reset-credentials flow bound.");
            return;
        }
        boolean governed = walk(flow.getId(), false, 0);
        if (!governed) {
            problems.add("The reset-credentials flow '" + flow.getAlias() + "' has no Governed Recovery reset step: "
                    + "one email link resets a password.");
        }
        String wiring = governed ? ResetSteps.wiringProblem(realm) : null;
        if (wiring != null) {
            problems.add("Resets are refused until you " + wiring);
        }
        if (governed) {
            steps();
            setup();
        }
        campaign();
    }

    /** The governed steps: each one there, and none of them Disabled. */
    private void steps() {
        List<AuthenticationExecutionModel> all = ResetFlow.all(realm);
        for (AuthenticationExecutionModel e : all) {
            if (e.isDisabled() && e.getAuthenticator() != null && e.getAuthenticator().startsWith("governed-recovery-")) {
                problems.add("The step '" + e.getAuthenticator() + "' of the reset flow is Disabled: make it Required"
                        + " (a Disabled step is skipped, and what it guards does not happen).");
            }
        }
        if (!ResetFlow.has(realm, "governed-recovery-choose-user")) {
            problems.add("The reset flow has no 'Governed Recovery: choose user' step: add it first, Required.");
        }
        if (!ResetFlow.has(realm, RecoveryControlsAuthenticatorFactory.PROVIDER_ID)) {
            problems.add("The reset flow has no 'Governed Recovery: recovery controls' step: add it right after "
                    + "'choose user', Required, or resets run without network rules, rate limits and risk.");
        }
        boolean branch = ResetFlow.has(realm, PrivilegedAccountConditionFactory.PROVIDER_ID);
        if (!branch) {
            problems.add("The reset flow has no privileged branch (Condition - privileged account): administrators "
                    + "and other privileged accounts cannot reset by self-service.");
        } else if (!ResetFlow.has(realm, ApprovalAuthenticatorFactory.PROVIDER_ID)) {
            problems.add("The privileged branch has no 'Governed Recovery: second-person approval' step: privileged "
                    + "resets are refused until it is added, Required.");
        } else if (privilegedBranchFirst(all)) {
            problems.add("The privileged branch comes before the governed reset step: the addresses of its pages tell "
                    + "an administrator's name from others before anything is proven. Move the branch after the reset "
                    + "step (the reset step holds privileged accounts to the branch's policy itself).");
        } else {
            String group = ResetFlow.config(realm, ApprovalAuthenticatorFactory.PROVIDER_ID)
                    .map(c -> c.get(ApprovalSettings.APPROVERS_GROUP)).orElse(null);
            if (group != null && !group.isBlank()
                    && KeycloakModelUtils.findGroupByPath(session, realm, group.trim()) == null) {
                problems.add("The approvers group " + group + " does not exist: privileged resets are refused until "
                        + "it does and has members with an email address.");
            }
        }
    }

    /**
     * Break-glass records and recovery freezes are "unmanaged" user-profile attributes, which users never see or edit
     * unless the realm enables unmanaged attributes for every context: then an account's owner could remove them.
     */
    private void unmanagedAttributes() {
        var profile = session.getProvider(org.keycloak.userprofile.UserProfileProvider.class);
        var policy = profile == null ? null : profile.getConfiguration().getUnmanagedAttributePolicy();
        if (policy == org.keycloak.representations.userprofile.config.UPConfig.UnmanagedAttributePolicy.ENABLED) {
            problems.add("The realm's user profile lets users edit unmanaged attributes (Realm settings, Unmanaged "
                    + "attributes: Enabled): an account's owner could remove its break-glass mark or a recovery "
                    + "freeze, or end its 'This was not me' links (governed-recovery.* attributes). Choose 'Only "
                    + "administrators can edit' or Disabled.");
        }
    }

    /** Whether an enabled privileged condition comes before the first enabled standard-branch reset step. */
    private boolean privilegedBranchFirst(List<AuthenticationExecutionModel> all) {
        for (AuthenticationExecutionModel e : all) {
            if (e.isDisabled()) {
                continue;
            }
            if (PrivilegedAccountConditionFactory.PROVIDER_ID.equals(e.getAuthenticator())) {
                return true;
            }
            if (GovernedResetAuthenticatorFactory.PROVIDER_ID.equals(e.getAuthenticator())
                    && !"privileged".equalsIgnoreCase(config(e.getAuthenticatorConfig()).get(ResetSettings.BRANCH))) {
                return false;
            }
        }
        return false;
    }

    /** Realm settings the governed reset needs outside its flow. */
    private void setup() {
        if (!realm.isResetPasswordAllowed()) {
            problems.add("\"Forgot password\" is off (Realm settings, Login): the sign-in page offers no reset. Turn "
                    + "it on.");
        }
        if (!RecoveryEvents.listenerOn(realm)) {
            problems.add("The event listener governed-recovery-events is not enabled (Realm settings, Events): "
                    + "recovery events are neither scored nor exported, and administrators are not told of "
                    + "privileged resets.");
        }
        if (!"governed-recovery".equals(realm.getLoginTheme())) {
            problems.add("The login theme is " + (realm.getLoginTheme() == null ? "Keycloak's default" : "'"
                    + realm.getLoginTheme() + "'") + ", not governed-recovery (Realm settings, Themes): the recovery "
                    + "pages need its messages.");
        }
    }

    /** Describes a flow's steps; true when a governed reset step is among them. */
    private boolean walk(String flowId, boolean inPilotFallback, int depth) {
        if (depth > 10) {
            return false;
        }
        boolean governed = false;
        List<AuthenticationExecutionModel> executions = realm.getAuthenticationExecutionsStream(flowId).toList();
        boolean fallback = executions.stream().anyMatch(e -> !e.isDisabled()
                && PilotConditionFactory.PROVIDER_ID.equals(e.getAuthenticator()));
        for (AuthenticationExecutionModel e : executions) {
            if (e.isDisabled()) {
                continue;
            }
            if (e.isAuthenticatorFlow()) {
                governed |= walk(e.getFlowId(), fallback || inPilotFallback, depth + 1);
                continue;
            }
            Map<String, String> config = config(e.getAuthenticatorConfig());
            String provider = String.valueOf(e.getAuthenticator());
            try {
                switch (provider) {
                    case GovernedResetAuthenticatorFactory.PROVIDER_ID -> {
                        governed = true;
                        reset(ResetSettings.from(config, installed));
                    }
                    case PrivilegedAccountConditionFactory.PROVIDER_ID -> tiers(TierDefinition.from(
                            realm.getAuthenticatorConfigById(String.valueOf(e.getAuthenticatorConfig()))));
                    case ApprovalAuthenticatorFactory.PROVIDER_ID -> {
                        ApprovalSettings a = ApprovalSettings.from(config);
                        statements.add("A privileged reset then waits for a member of " + a.approversGroup()
                                + " (never the requester) to approve it within " + a.lifetime().toMinutes()
                                + " minutes.");
                    }
                    case RecoveryControlsAuthenticatorFactory.PROVIDER_ID -> controls(ControlSettings.from(config));
                    case PilotConditionFactory.PROVIDER_ID -> {
                        String groups = config.getOrDefault(PilotCondition.PILOT_GROUPS, "").replace("##", ", ");
                        statements.add(groups.isBlank() ? "Everyone gets the governed reset (no pilot is set)."
                                : "Only members of " + groups + " (and privileged accounts) get the governed reset; "
                                + "everyone else gets the realm's fallback.");
                    }
                    case "reset-otp" -> problems.add("The flow has Keycloak's 'Reset OTP': whoever passes the "
                            + "earlier steps may enrol a new authenticator.");
                    case "reset-credential-email" -> {
                        if (!fallback && !inPilotFallback) {
                            problems.add("The flow sends Keycloak's reset email outside the pilot's fallback: one "
                                    + "mailbox resets a password.");
                        }
                    }
                    default -> {
                        // Keycloak's own steps (choose user, reset password) need no words.
                    }
                }
            } catch (IllegalArgumentException bad) {
                problems.add("Step '" + provider + "': " + bad.getMessage());
            }
        }
        return governed;
    }

    private void reset(ResetSettings s) {
        String who = s.branch() == ResetSettings.Branch.PRIVILEGED ? "Privileged accounts" : "Other accounts";
        if (!s.selfService()) {
            statements.add(who + " cannot reset their password by self-service: they follow the administrator "
                    + "recovery procedure.");
            return;
        }
        statements.add(who + " reset their password after proving " + s.policy().minChannels()
                + " methods on different channels, at least " + s.policy().minStrong()
                + " of them strong (authenticator app, passkey, recovery codes, helpdesk pass)"
                + (s.policy().minStrong() == 0 ? "; email and SMS alone are enough" : "")
                + ". A method added or changed in the last " + s.policy().cooldown().toHours()
                + " hours does not count. Offered: " + String.join(", ", s.methods()) + ".");
        for (String id : s.methods()) {
            RecoveryMethod method = session.getProvider(RecoveryMethod.class, id);
            String why = method == null ? null : method.unavailable(session, realm, s.methodSettings());
            if (why != null && reportedUnavailable.add(id)) {
                problems.add("The method " + id + " is listed but cannot be used: " + why + ". It is not offered "
                        + "until that is fixed.");
            }
        }
    }

    private void tiers(TierDefinition t) {
        var p = t.privileged();
        List<String> roles = new ArrayList<>(p.realmRoles());
        roles.addAll(p.clientRoles());
        statements.add("Privileged accounts are those with the roles " + String.join(", ", roles)
                + (p.groups().isEmpty() ? "" : ", members of " + String.join(", ", p.groups()))
                + " (also through groups and composite roles).");
        statements.add("Break-glass accounts (" + (t.breakGlassGroups().isEmpty() ? "" : "members of "
                + String.join(", ", t.breakGlassGroups()) + ", or ") + "with the attribute "
                + t.breakGlassAttribute().name() + t.breakGlassAttribute().value().map(v -> "=" + v).orElse("")
                + ") never reset by self-service; each sign-in is a critical event; they are to be tested every "
                + t.breakGlassTestDays() + " days.");
        statements.add(t.notifyGroup().map(g -> "Members of " + g + " are told of every privileged reset and "
                + "break-glass use.").orElse("Nobody is told of privileged resets and break-glass use (no notify "
                + "group)."));
    }

    private void controls(ControlSettings c) {
        statements.add("Each reset start is limited to " + c.startsPerAddressHour() + " per address and "
                + c.startsPerNameHour() + " per name an hour; codes to " + c.sendsPerUserHour() + " per account and "
                + c.sendsPerAddressHour() + " per address an hour, across all nodes.");
        if (!c.denied().isEmpty()) {
            statements.add("Resets from " + c.denied() + ": " + c.deniedAction().name().toLowerCase() + ".");
        }
        if (!c.allowed().isEmpty()) {
            statements.add("Resets from outside " + c.allowed() + ": "
                    + c.outsideAllowedAction().name().toLowerCase() + ".");
        }
        if (c.anonymizerSource() != null) {
            statements.add("Resets from anonymizer addresses listed at " + c.anonymizerSource() + ": "
                    + c.anonymizerAction().name().toLowerCase() + ".");
            var status = RecoveryControlsAuthenticatorFactory.listStatus(session, c.anonymizerSource());
            if (status != null) {
                Map<String, Object> list = new LinkedHashMap<>();
                list.put("source", status.source());
                list.put("loaded", status.loaded());
                list.put("entries", status.entries());
                list.put("loadedAt", status.loadedAt() > 0 ? status.loadedAt() : null);
                list.put("problem", status.problem());
                addressLists.add(list);
                if (status.problem() != null) {
                    problems.add("The anonymizer list " + c.anonymizerSource() + " is " + status.problem()
                            + (status.loaded() ? " (its last good content, " + status.entries() + " entries, stays "
                            + "in force)" : "; until it is read it counts as empty") + ".");
                }
            }
        }
        statements.add(c.riskPolicy() ? "Elevated risk (anomaly scorer) asks one more strong method; high risk "
                + "refuses self-service." : "The anomaly scorer's risk does not change the policy.");
    }

    private void campaign() {
        RequiredActionProviderModel model = realm.getRequiredActionProviderByAlias(RegistrationCampaignFactory.ID);
        if (model == null || !model.isEnabled()) {
            return;
        }
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(RegistrationCampaignFactory.ID);
        try {
            CampaignSettings s = CampaignSettings.from(config == null ? null : config.getConfig());
            statements.add((s.targetGroups().isEmpty() ? "Everyone" : "Members of "
                    + String.join(", ", s.targetGroups())) + " who have not registered enough methods are asked at "
                    + "sign-in, may put it off " + s.snoozes() + " times"
                    + s.deadline().map(d -> " until " + d).orElse("") + "."
                    + (s.reconfirmDays() > 0 ? " Everyone reviews their methods every " + s.reconfirmDays()
                    + " days." : ""));
        } catch (IllegalArgumentException bad) {
            problems.add("Registration campaign: " + bad.getMessage());
        }
    }

    private Map<String, String> config(String configId) {
        AuthenticatorConfigModel model = configId == null ? null : realm.getAuthenticatorConfigById(configId);
        return model == null || model.getConfig() == null ? Map.of() : model.getConfig();
    }
}
