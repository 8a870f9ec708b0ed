package io.governedrecovery.it.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reset pages an account walks without proving anything, and a masking that keeps only what may differ between
 * two walks: used to show that two accounts (existing and missing, standard and privileged, break-glass and missing)
 * cannot be told apart. Names of equal length keep the pages byte-comparable.
 */
public final class ResetWalk {

    private ResetWalk() {
    }

    /** The pages after: the name, choosing an email code, choosing an app code, and a wrong code. */
    public static List<FlowClient.Page> walk(TestRealm realm, String name) {
        FlowClient client = new FlowClient();
        List<FlowClient.Page> pages = new ArrayList<>();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), name);
        pages.add(methods);
        FlowClient.Page email = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "email-code"));
        pages.add(email);
        FlowClient.Page back = client.post(email.formAction("governed-recovery-code-form"), Map.of("action", "back"));
        FlowClient.Page totp = client.post(back.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "totp"));
        pages.add(totp);
        pages.add(client.post(totp.formAction("governed-recovery-code-form"),
                Map.of("action", "verify", "code", "00000000")));
        return pages;
    }

    /**
     * Masks what legitimately differs between two runs: session-bound values and the typed name; the step's execution
     * id stays, so a page served by another step (a privileged branch's) shows.
     */
    public static String masked(String html, String name) {
        return html.replace(name, "NAME")
                .replaceAll("(session_code|tab_id|client_data|client_id)=[^&\"]*", "$1=X")
                // Long tokens differ per run; ids (UUIDs, such as the step's execution id in a form address) do not,
                // and must not differ between two accounts.
                .replaceAll("(?<![A-Za-z0-9_-])(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                        + "(?![A-Za-z0-9_-]))[A-Za-z0-9_-]{22,}", "TOKEN");
    }
}
