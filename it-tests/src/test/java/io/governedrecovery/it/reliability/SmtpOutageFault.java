package io.governedrecovery.it.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.ResetWalk;
import io.governedrecovery.it.harness.SinkTally;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * The mail server is down while a reset sends a code by email and while notices are queued (the password-changed
 * notice of a reset, an administrator's removal of a method), then comes back on the same port: the user saw the same
 * neutral code page as anyone, the code mail arrives once within the code's lifetime and the reset completes with it,
 * every queued notice arrives once, and every event of it reaches every sink.
 */
final class SmtpOutageFault {

    /** Code lifetime of the shipped policy (README: {@code code-lifetime-seconds}). */
    static final Duration CODE_LIFETIME = Duration.ofSeconds(600);
    /** The longest wait between two tries of a code mail (README: "a code every 15 s at most"). */
    static final Duration CODE_RETRY = Duration.ofSeconds(15);
    private static final Set<String> EVENT_TYPES = Set.of("RESET_PASSWORD", "RESET_PASSWORD_ERROR",
            "SEND_RESET_PASSWORD", "SEND_RESET_PASSWORD_ERROR");
    private static final String REMOVED_SUBJECT = "An administrator removed a sign-in method from your account";

    private final TestRealm realm;
    private final MailCatcher mail;
    private final Duration outage;
    private final SinkTally sinks;
    private final String prefix;

    SmtpOutageFault(TestRealm realm, MailCatcher mail, Duration outage, SinkTally sinks, String prefix) {
        this.realm = realm;
        this.mail = mail;
        this.outage = outage;
        this.sinks = sinks;
        this.prefix = prefix;
    }

    FaultRow run() {
        FaultRow row = new FaultRow("SMTP down (" + outage.toSeconds() + " s after a code was sent)");
        String codeUser = prefix + "-code";
        String noticeUser = prefix + "-notice";
        String nobody = prefix + "-none";
        String codeSecret = codeUser + "-secret";
        String noticeSecret = noticeUser + "-secret";
        String codeId = realm.user(codeUser).totp(codeSecret).password("Old-password-1").create();
        String noticeId = realm.user(noticeUser).totp(noticeSecret).recoveryCodes("SMTPDOWN2345", "SMTPDOWN6789")
                .password("Old-password-1").create();
        String codeMail = codeUser + "@example.test";
        String noticeMail = noticeUser + "@example.test";

        boolean noticeResetDone = false;
        Instant down = Instant.now();
        mail.stop();
        Instant codeQueued;
        FlowClient codeClient = new FlowClient();
        FlowClient.Page codePage;
        try {
            // A user completes a reset (the app and a recovery code) while nobody can receive mail: the password
            // notice is queued.
            FlowClient notice = new FlowClient();
            FlowClient.Page afterApp = notice.prove(notice.requestReset(notice.openResetPage(realm), noticeUser),
                    "totp", () -> Totp.unused(noticeSecret));
            FlowClient.Page newPassword = notice.prove(afterApp, "recovery-codes", () -> "SMTPDOWN2345");
            row.check(newPassword.has(Walks.NEW_PASSWORD_FORM), "the reset without email did not reach the "
                    + "new-password page while SMTP was down: " + PageCatalog.classify("", newPassword).label());
            if (newPassword.has(Walks.NEW_PASSWORD_FORM)) {
                noticeResetDone = Walks.done(Walks.setPassword(notice, newPassword, "New-password-2"));
            }
            // An administrator removes one of its methods: the owner's notice is queued too.
            String otp = realm.userResource(noticeId).credentials().stream().filter(c -> "otp".equals(c.getType()))
                    .map(CredentialRepresentation::getId).findFirst().orElseThrow();
            realm.userResource(noticeId).removeCredential(otp);

            // Another reset sends a code by email.
            FlowClient.Page methods = codeClient.requestReset(codeClient.openResetPage(realm), codeUser);
            codePage = Walks.select(codeClient, methods, "email-code");
            codeQueued = Instant.now();
            FlowClient other = new FlowClient();
            FlowClient.Page missingCodePage = Walks.select(other, other.requestReset(other.openResetPage(realm),
                    nobody), "email-code");
            boolean neutral = codePage.status() == 200 && codePage.has(Walks.CODE_FORM)
                    && ResetWalk.masked(codePage.body(), codeUser).equals(ResetWalk.masked(missingCodePage.body(),
                    nobody));
            row.check(neutral, "the code page while SMTP was down differs from a missing account's: " + PageCatalog
                    .classify("code page", codePage).label());
            row.pages = "code page during the outage: " + PageCatalog.classify("code", codePage).label()
                    + (neutral ? ", byte-identical (masked) to a missing account's" : ", DIFFERENT from a missing "
                    + "account's");

            // The server stays away for the outage, counted from the code's sending.
            Instant back = codeQueued.plus(outage);
            Await.until("the SMTP outage to last " + outage.toSeconds() + " s after the code was sent",
                    outage.plusSeconds(5), () -> !Instant.now().isBefore(back));
            row.check(mail.all().stream().noneMatch(m -> m.to().equalsIgnoreCase(codeMail)
                    || m.to().equalsIgnoreCase(noticeMail)), "a mail arrived while the mail server was down");
        } finally {
            mail.start();
        }
        Instant up = Instant.now();
        Duration wasDown = Duration.between(down, up);
        // When each mail was first seen after the server came back (polled every 200 ms).
        Map<String, Instant> firstSeen = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ScheduledExecutorService watch = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        watch.scheduleAtFixedRate(() -> mail.all().forEach(m -> firstSeen.putIfAbsent(m.to().toLowerCase(Locale.ROOT)
                + "|" + m.subject(), Instant.now())), 0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            return afterOutage(row, up, wasDown, firstSeen, codeQueued, codeClient, codePage, codeUser, codeId,
                    codeSecret, codeMail, noticeId, noticeMail, noticeResetDone);
        } finally {
            watch.shutdownNow();
        }
    }

    private FaultRow afterOutage(FaultRow row, Instant up, Duration wasDown, Map<String, Instant> firstSeen,
                                 Instant codeQueued, FlowClient codeClient, FlowClient.Page codePage, String codeUser,
                                 String codeId, String codeSecret, String codeMail, String noticeId,
                                 String noticeMail, boolean noticeResetDone) {
        row.done = "mail server (GreenMail) stopped " + wasDown.toSeconds() + " s (until " + outage.toSeconds()
                + " s after the code was sent) and restarted on its port; during it one reset finished with the app "
                + "and a recovery code (password notice queued), an administrator removed that account's app "
                + "(method-change notice queued) and another reset sent a code by email; after it that reset "
                + "finished with the mailed code and the app";

        // The code mail: retried until the server is back, within the code's lifetime.
        MailCatcher.Mail codeMailReceived = null;
        try {
            // Until it arrives, the delivery reports it given up (SEND_RESET_PASSWORD_ERROR), or the code expires.
            codeMailReceived = Await.until("the code mail, or its delivery given up", CODE_LIFETIME.minus(
                    Duration.between(codeQueued, Instant.now())).plusSeconds(5), () -> {
                        MailCatcher.Mail m = mail.to(codeMail).stream().filter(x -> Walks.CODE_SUBJECT.equals(
                                x.subject())).findFirst().orElse(null);
                        if (m != null) {
                            return m;
                        }
                        if (!realm.admin().getEvents(List.of("SEND_RESET_PASSWORD_ERROR"), null, codeId, null, null,
                                null, 0, 10).isEmpty()) {
                            throw new AssertionError("given up");
                        }
                        return null;
                    });
        } catch (AssertionError lost) {
            row.problem("the code mail sent while SMTP was down never arrived (" + (lost.getMessage().contains(
                    "given up") ? "its delivery was given up: SEND_RESET_PASSWORD_ERROR" : "within the code's "
                    + "lifetime") + ")");
        }
        Instant codeArrived = firstSeen.getOrDefault(codeMail + "|" + Walks.CODE_SUBJECT, Instant.now());
        boolean completed = false;
        if (codeMailReceived != null) {
            row.check(Duration.between(codeQueued, codeArrived).compareTo(CODE_LIFETIME) < 0,
                    "the code mail arrived after its code expired");
            // README: a code is retried every 15 s at most; 5 s more for composing and sending on a busy machine.
            row.check(Duration.between(up, codeArrived).compareTo(CODE_RETRY.plusSeconds(5)) <= 0,
                    "the code mail came " + seconds(Duration.between(up, codeArrived)) + " after SMTP returned, "
                            + "more than the 15 s its retries may be apart");
            FlowClient.Page afterEmail = Walks.verify(codeClient, codePage,
                    io.governedrecovery.it.harness.Codes.in(codeMailReceived.text()));
            row.check(Walks.accepted(afterEmail, "email-code"), "the code that arrived late was refused: "
                    + PageCatalog.classify("", afterEmail).label());
            FlowClient.Page afterApp = Walks.verify(codeClient, Walks.select(codeClient, afterEmail, "totp"),
                    Totp.unused(codeSecret));
            if (afterApp.has(Walks.NEW_PASSWORD_FORM)) {
                completed = Walks.done(Walks.setPassword(codeClient, afterApp, "New-password-3"));
            }
            row.check(completed, "the reset whose code arrived late did not complete: "
                    + PageCatalog.classify("", afterApp).label());
            row.check(realm.passwordWorks(codeUser, "New-password-3", codeSecret), "the late code's reset did not "
                    + "set the new password");
        }

        // Every queued notice arrives, once.
        int arrived = 0;
        List<String[]> queued = new java.util.ArrayList<>();
        if (noticeResetDone) {
            queued.add(new String[] {Walks.NOTICE_SUBJECT, "reset-notice", "password notice"});
        }
        queued.add(new String[] {REMOVED_SUBJECT, "method-notice", "method-removed notice"});
        for (String[] notice : queued) {
            if (awaitMail(noticeMail, notice[0], noticeId, notice[1]) != null) {
                arrived++;
            } else {
                row.problem("the " + notice[2] + " queued during the outage never arrived");
            }
        }
        if (completed && awaitMail(codeMail, Walks.NOTICE_SUBJECT, codeId, "reset-notice") == null) {
            row.problem("the password notice of the reset finished after the outage never arrived");
        }
        // A few seconds more for duplicates to show, then count.
        Instant settle = Instant.now();
        Await.until("5 s for late duplicates to show", Duration.ofSeconds(10),
                () -> Duration.between(settle, Instant.now()).toSeconds() >= 5);
        long codeMails = mail.to(codeMail).stream().filter(m -> Walks.CODE_SUBJECT.equals(m.subject())).count();
        long noticeMails = mail.to(noticeMail).stream().filter(m -> Walks.NOTICE_SUBJECT.equals(m.subject())).count();
        long removedMails = mail.to(noticeMail).stream().filter(m -> REMOVED_SUBJECT.equals(m.subject())).count();
        long codeNotices = mail.to(codeMail).stream().filter(m -> Walks.NOTICE_SUBJECT.equals(m.subject())).count();
        row.check(codeMails <= 1 && noticeMails <= 1 && removedMails <= 1 && codeNotices <= 1,
                "a mail arrived twice: code " + codeMails + ", notices " + noticeMails + "/" + removedMails + "/"
                        + codeNotices);
        row.partial = "code mail: " + (codeMailReceived == null ? "LOST" : "arrived " + codeMails + "×, "
                + seconds(Duration.between(up, codeArrived)) + " after SMTP returned ("
                + seconds(Duration.between(codeQueued, codeArrived)) + " after it was queued; code lifetime "
                + CODE_LIFETIME.toSeconds() + " s)") + "; reset with it " + (completed ? "completed" : "NOT completed")
                + "; queued notices arrived: " + arrived + " of 2 (password " + noticeMails
                + "×, method removed " + removedMails + "×)";
        Instant lastArrived = java.util.stream.Stream.of(codeMail + "|" + Walks.CODE_SUBJECT, noticeMail + "|"
                + Walks.NOTICE_SUBJECT, noticeMail + "|" + REMOVED_SUBJECT).map(firstSeen::get)
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(up);
        boolean allArrived = codeMailReceived != null && arrived == 2;
        row.check(noticeResetDone, "the reset without email could not be finished while SMTP was down");
        row.recovery = allArrived ? seconds(Duration.between(up, lastArrived)) + " from SMTP back to the last mail "
                + "queued during the outage delivered" : "never: mails queued during the outage were lost";

        // The events: every delivery was reported as sent, none as failed; all reach every sink.
        Set<String> userIds = Set.of(codeId, noticeId);
        List<EventRepresentation> events = new java.util.ArrayList<>();
        for (String id : userIds) {
            events.addAll(realm.admin().getEvents(List.copyOf(EVENT_TYPES), null, id, null, null, null, 0, 1000));
        }
        long failedSends = events.stream().filter(e -> "SEND_RESET_PASSWORD_ERROR".equals(e.getType())).count();
        long sent = events.stream().filter(e -> "SEND_RESET_PASSWORD".equals(e.getType())).count();
        row.check(failedSends == 0, failedSends + " message(s) reported as given up (SEND_RESET_PASSWORD_ERROR)");
        Set<String> committed = events.stream().map(EventRepresentation::getId).collect(Collectors.toCollection(
                HashSet::new));
        row.committed = committed.size() + " (of them " + sent + " deliveries reported sent, " + failedSends
                + " given up)";
        deliveryFigures(row, sinks, committed, m -> userIds.contains(m.userId()) && EVENT_TYPES.contains(
                m.keycloakType()), Duration.ofSeconds(120));
        return row;
    }

    /**
     * The mail to {@code address} with {@code subject}; null when its delivery was given up (a SEND_RESET_PASSWORD_ERROR
     * of that purpose about the user) or it did not come within a code's lifetime.
     */
    private MailCatcher.Mail awaitMail(String address, String subject, String userId, String purpose) {
        try {
            return Await.until(subject + " to " + address + ", or its delivery given up", CODE_LIFETIME, () -> {
                MailCatcher.Mail m = mail.to(address).stream().filter(x -> subject.equals(x.subject())).findFirst()
                        .orElse(null);
                if (m != null) {
                    return m;
                }
                boolean givenUp = realm.admin().getEvents(List.of("SEND_RESET_PASSWORD_ERROR"), null, userId, null,
                        null, null, 0, 100).stream().anyMatch(e -> e.getDetails() != null
                        && purpose.equals(e.getDetails().get("gr_purpose")));
                if (givenUp) {
                    throw new AssertionError("given up");
                }
                return null;
            });
        } catch (AssertionError lost) {
            return null;
        }
    }

    /** Waits for {@code committed} at every sink, then fills the row's lost and duplicate cells. */
    static SinkTally.Delivery deliveryFigures(FaultRow row, SinkTally sinks, Set<String> committed,
                                              java.util.function.Predicate<SinkTally.Meta> scenario, Duration wait) {
        try {
            Await.until(committed.size() + " committed events at every sink", wait, () -> sinks.everySinkHas(
                    committed));
        } catch (AssertionError notAll) {
            // counted below
        }
        SinkTally.Delivery d = sinks.delivery(committed, scenario);
        row.lost = d.lostTotal() == 0 ? "0" : d.lostTotal() + " (" + SinkTally.Delivery.perSink(d.lost()) + ")";
        row.duplicates = d.duplicatesTotal() + " (" + SinkTally.Delivery.perSink(d.duplicates()) + "); "
                + (d.strangersTotal() == 0 ? "all with the same id" : d.strangersTotal()
                + " under ANOTHER id (" + SinkTally.Delivery.perSink(d.strangers()) + ")");
        row.check(d.lostTotal() == 0, "events lost at the sinks: " + SinkTally.Delivery.perSink(d.lost()));
        row.check(d.strangersTotal() == 0, "events exported under an id Keycloak never committed: "
                + SinkTally.Delivery.perSink(d.strangers()));
        return d;
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
