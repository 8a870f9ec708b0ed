package io.governedrecovery.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.governedrecovery.core.policy.Channel;
import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.core.policy.Strength;

class ResetStateTest {

    /** An authentication session that keeps only its notes. */
    private static AuthenticationSessionModel notes() {
        Map<String, String> notes = new HashMap<>();
        return (AuthenticationSessionModel) Proxy.newProxyInstance(ResetStateTest.class.getClassLoader(),
                new Class<?>[] {AuthenticationSessionModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAuthNote" -> notes.get((String) args[0]);
                    case "setAuthNote" -> notes.put((String) args[0], (String) args[1]);
                    case "removeAuthNote" -> notes.remove((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void proofs_whose_channel_holds_the_separators_read_back_unchanged() {
        AuthenticationSessionModel session = notes();
        session.setAuthNote(ResetState.SUBJECT, "user-1");
        ResetState state = new ResetState(session, List.of("email-code", "totp"));
        RegisteredMethod odd = new RegisteredMethod("email-code", Strength.WEAK,
                new Channel(ChannelKind.MAILBOX, "a|b;c%7C@example.test"), Instant.ofEpochMilli(1_000));
        RegisteredMethod app = new RegisteredMethod("totp", Strength.STRONG, Channel.of(ChannelKind.AUTHENTICATOR_APP),
                Instant.ofEpochMilli(2_000));
        state.addVerified(odd);
        state.addVerified(app);
        assertThat(state.provenRegistrations()).containsExactly(odd, app);
    }

    @Test
    void proofs_made_for_another_account_do_not_count() {
        AuthenticationSessionModel session = notes();
        session.setAuthNote(ResetState.SUBJECT, "user-1");
        ResetState state = new ResetState(session, List.of("totp"));
        state.addVerified(new RegisteredMethod("totp", Strength.STRONG, Channel.of(ChannelKind.AUTHENTICATOR_APP),
                Instant.ofEpochMilli(2_000)));
        session.setAuthNote(ResetState.SUBJECT, "user-2");
        assertThat(state.provenRegistrations()).isEmpty();
    }
}
