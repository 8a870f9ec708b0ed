package io.governedrecovery.it.harness;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/**
 * A real SMTP server (GreenMail) on a loopback port; Keycloak sends to it and tests read what arrived. It can go away
 * ({@link #stop()}: connections refused, as a mail server that is down) and come back on the same port
 * ({@link #start()}); what arrived before the outage stays readable.
 */
public final class MailCatcher implements AutoCloseable {

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+");

    private final GreenMail greenMail;
    private final int port;
    private final java.util.Map<String, Integer> consumed = new java.util.HashMap<>();
    /** Mails received before the last {@link #stop()}: GreenMail forgets its store when it stops. */
    private final List<Mail> beforeOutages = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running;

    public MailCatcher(int port) {
        this.port = port;
        this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        this.greenMail.start();
        this.running = true;
    }

    public static MailCatcher onFreePort() {
        return new MailCatcher(Ports.free());
    }

    public int smtpPort() {
        return port;
    }

    public List<Mail> all() {
        List<Mail> all = new ArrayList<>(beforeOutages);
        if (running) {
            Arrays.stream(greenMail.getReceivedMessages()).map(Mail::of).forEach(all::add);
        }
        return all;
    }

    /**
     * The mail server goes away: the port refuses connections until {@link #start()}. Mails received so far stay
     * readable.
     */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        List<Mail> received = Arrays.stream(greenMail.getReceivedMessages()).map(Mail::of).toList();
        running = false;
        greenMail.stop();
        beforeOutages.addAll(received);
    }

    /** The mail server comes back on the same port (after {@link #stop()}). */
    public synchronized void start() {
        if (running) {
            return;
        }
        greenMail.start();
        running = true;
    }

    public boolean running() {
        return running;
    }

    /**
     * The mails not in {@code seen} (by Message-ID), which it then holds, for readers that poll often: only those are
     * decoded. (GreenMail lists messages by mailbox, not by arrival, so a position in its list is no place to resume.)
     */
    public List<Mail> unseen(java.util.Set<String> seen) {
        List<Mail> fresh = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            String id;
            try {
                id = message.getMessageID();
            } catch (MessagingException e) {
                id = null;
            }
            if (seen.add(id != null ? id : "identity-" + System.identityHashCode(message))) {
                fresh.add(Mail.of(message));
            }
        }
        return fresh;
    }

    public List<Mail> to(String address) {
        return all().stream().filter(m -> m.to().equalsIgnoreCase(address)).toList();
    }

    /**
     * The mails to {@code address} from its {@code from}-th on, in arrival order, decoding only those (cheap in long
     * runs). GreenMail keeps one mailbox per address: the order across addresses is not the arrival order.
     */
    public List<Mail> to(String address, int from) {
        List<MimeMessage> mine = Arrays.stream(greenMail.getReceivedMessages()).filter(m -> addressedTo(m, address))
                .toList();
        return mine.subList(Math.min(from, mine.size()), mine.size()).stream().map(Mail::of).toList();
    }

    /** How many mails to {@code address} have arrived so far, without decoding them. */
    public int countTo(String address) {
        return (int) Arrays.stream(greenMail.getReceivedMessages()).filter(m -> addressedTo(m, address)).count();
    }

    private static boolean addressedTo(MimeMessage message, String address) {
        try {
            Address[] recipients = message.getRecipients(Message.RecipientType.TO);
            return recipients != null && recipients.length > 0
                    && Mail.addressOf(recipients[0]).equalsIgnoreCase(address);
        } catch (MessagingException e) {
            return false;
        }
    }

    /** How many mails to {@code address} have arrived so far (as {@link #countTo}). */
    public int count(String address) {
        return countTo(address);
    }

    /**
     * Notices of a method change: the event pipeline sends them whenever it delivers the change's event, so they may
     * come before or after the mails of the flow a test walks. {@link #next} leaves them out; read them with
     * {@link #await}.
     */
    static final java.util.Set<String> METHOD_CHANGE_NOTICES = java.util.Set.of(
            "A sign-in method was added to your account", "A sign-in method was removed from your account",
            "An administrator removed a sign-in method from your account",
            "An administrator set a new password for your account",
            "A temporary access pass was issued for your account");

    /**
     * The next mail to {@code address} that this catcher has not handed out yet (method-change notices aside), waiting
     * up to 20 s for it. Tests read a mailbox in arrival order with it, one call per expected mail.
     */
    public Mail next(String address) {
        return next(address, Duration.ofSeconds(20));
    }

    public synchronized Mail next(String address, Duration timeout) {
        String key = address.toLowerCase(java.util.Locale.ROOT);
        int wanted = consumed.getOrDefault(key, 0);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<Mail> mails = to(address).stream().filter(m -> !METHOD_CHANGE_NOTICES.contains(m.subject())).toList();
            if (mails.size() > wanted) {
                consumed.put(key, wanted + 1);
                return mails.get(wanted);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Mail number " + (wanted + 1) + " to " + address + " did not arrive within "
                        + timeout.toSeconds() + " s; mails seen: "
                        + all().stream().map(m -> m.to() + ": " + m.subject()).toList());
            }
            waitForMore();
        }
    }

    /** Waits up to 200 ms for another mail (or just 200 ms while the server is down). */
    private void waitForMore() {
        if (running) {
            greenMail.waitForIncomingEmail(200, greenMail.getReceivedMessages().length + 1);
        } else {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for mail");
            }
        }
    }

    /** The first mail to {@code address} that {@code wanted} accepts, waiting up to 20 s (reads out of order). */
    public Mail await(String address, java.util.function.Predicate<Mail> wanted) {
        return await(address, wanted, Duration.ofSeconds(20));
    }

    /** The first mail to {@code address} that {@code wanted} accepts, waiting up to {@code timeout}. */
    public Mail await(String address, java.util.function.Predicate<Mail> wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            for (Mail m : to(address)) {
                if (wanted.test(m)) {
                    return m;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No matching mail to " + address + " within " + timeout.toSeconds()
                        + " s; mails to it: "
                        + to(address).stream().map(Mail::subject).toList());
            }
            waitForMore();
        }
    }

    public synchronized void purge() {
        consumed.clear();
        beforeOutages.clear();
        if (!running) {
            return;
        }
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            throw new HarnessException("Cannot purge the test mailboxes: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        greenMail.stop();
    }

    /** One received mail, decoded. */
    public record Mail(String to, String subject, String text, String html, Instant received) {

        static Mail of(MimeMessage message) {
            try {
                Address[] recipients = message.getRecipients(Message.RecipientType.TO);
                String to = recipients == null || recipients.length == 0 ? "" : addressOf(recipients[0]);
                StringBuilder text = new StringBuilder();
                StringBuilder html = new StringBuilder();
                collect(message.getContent(), message.getContentType(), text, html);
                Instant received = message.getReceivedDate() != null ? message.getReceivedDate().toInstant()
                        : message.getSentDate() != null ? message.getSentDate().toInstant() : Instant.now();
                return new Mail(to, message.getSubject(), text.toString(), html.toString(), received);
            } catch (MessagingException | IOException e) {
                throw new HarnessException("Cannot read a received mail: " + e.getMessage(), e);
            }
        }

        private static String addressOf(Address address) {
            String s = address.toString();
            int lt = s.indexOf('<');
            return lt >= 0 ? s.substring(lt + 1, s.indexOf('>', lt)) : s;
        }

        private static void collect(Object content, String type, StringBuilder text, StringBuilder html)
                throws MessagingException, IOException {
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart part = multipart.getBodyPart(i);
                    collect(part.getContent(), part.getContentType(), text, html);
                }
            } else if (content instanceof String s) {
                (type != null && type.toLowerCase().startsWith("text/html") ? html : text).append(s);
            }
        }

        public List<String> links() {
            List<String> links = new ArrayList<>();
            Matcher m = LINK.matcher(text.isEmpty() ? html : text);
            while (m.find()) {
                links.add(m.group().replace("&amp;", "&"));
            }
            return links;
        }

        public String linkContaining(String fragment) {
            return links().stream().filter(l -> l.contains(fragment)).findFirst()
                    .orElseThrow(() -> new AssertionError("No link containing '" + fragment + "' in mail '" + subject
                            + "': " + links()));
        }
    }
}
