package io.governedrecovery.method;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.clock.Clocks;
import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;

/**
 * A recovery method's fixed facts, given once: its id, its strength and the kind of channel it proves. A method
 * extends this and states only how it proves (its registration for a known user, page, verification); building the
 * registration and the times it counts from are done here, the same way for every method.
 */
public abstract class AbstractRecoveryMethod implements RecoveryMethod {

    private final String id;
    private final Strength strength;
    private final ChannelKind channelKind;

    protected AbstractRecoveryMethod(String id, Strength strength, ChannelKind channelKind) {
        this.id = id;
        this.strength = strength;
        this.channelKind = channelKind;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Strength strength() {
        return strength;
    }

    @Override
    public final ChannelKind channelKind() {
        return channelKind;
    }

    /** Empty for an unknown user; else what {@link #registrationOf} finds. */
    @Override
    public final Optional<RegisteredMethod> registration(RealmModel realm, UserModel user, MethodSettings settings) {
        return user == null ? Optional.empty() : registrationOf(realm, user, settings);
    }

    /** The registration of this method by an existing user, if the user has one. */
    protected abstract Optional<RegisteredMethod> registrationOf(RealmModel realm, UserModel user,
            MethodSettings settings);

    /** This method registered on {@code channel}, changed last at {@code changedAt}. */
    protected final RegisteredMethod registered(Channel channel, Instant changedAt) {
        return new RegisteredMethod(id, strength, channel, changedAt);
    }

    /**
     * This method registered by the given credentials, if there is any: its channel is the method's kind, and it
     * counts from the newest credential, so a newly added one puts the whole channel in cooldown.
     */
    protected final Optional<RegisteredMethod> registeredBy(List<CredentialModel> credentials) {
        return credentials.stream()
                .map(c -> c.getCreatedDate() == null ? Clocks.now() : Instant.ofEpochMilli(c.getCreatedDate()))
                .max(Instant::compareTo)
                .map(changed -> registered(Channel.of(channelKind), changed));
    }

    /** The user's stored credentials of the given types, as Keycloak keeps them. */
    protected static List<CredentialModel> storedCredentials(UserModel user, String... types) {
        return Arrays.stream(types).flatMap(t -> user.credentialManager().getStoredCredentialsByTypeStream(t)).toList();
    }

    /**
     * When a contact last changed: the time the contact validator recorded for a change (epoch millis). A contact
     * without such a record was given when the account was created (by an admin, an import, user federation or
     * registration): that is no change, and it counts from the start.
     */
    protected static Instant contactChangedAt(UserModel user, String attribute) {
        String raw = user.getFirstAttribute(attribute);
        if (raw != null) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(raw.trim()));
            } catch (NumberFormatException ignored) {
                // A broken value proves nothing: fall back to "now", the strictest reading.
                return Clocks.now();
            }
        }
        return Instant.EPOCH;
    }
}
