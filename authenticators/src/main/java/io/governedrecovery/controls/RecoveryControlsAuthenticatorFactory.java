package io.governedrecovery.controls;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.flow.ResetFlow;
import io.governedrecovery.flow.StepFactory;
import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

/**
 * "Governed Recovery: recovery controls". Owns the address-list cache and its background refresh, and the last good
 * settings of each step: a step whose settings turn bad keeps the last good ones in force (and the log says why);
 * one that never had good settings refuses resets with the neutral helpdesk page.
 */
public final class RecoveryControlsAuthenticatorFactory extends StepFactory {

    public static final String PROVIDER_ID = io.governedrecovery.flow.AppliedControls.STEP_ID;

    private static final Logger LOG = Logger.getLogger(RecoveryControlsAuthenticatorFactory.class);

    /** The server options, each declared once (console help, parser, README check). */
    public static final Setting LIST_REFRESH_MINUTES = Setting.number("list-refresh-minutes",
            "Address lists refresh (minutes)", 60, 1, 7 * 24 * 60, "How often address lists (anonymizer lists) are "
                    + "read again, in minutes.");
    public static final Setting LIST_DIR = Setting.text("list-dir", "Address list directory", null,
            "The directory address-list files must be in; unset, no file may be named as a list.");
    public static final Setting LIST_HTTP_HOSTS = Setting.texts("list-http-hosts", "Plain-http list hosts",
            "Hosts an address list may be read from over plain http (comma-separated); https is always allowed.");
    public static final List<Setting> SERVER_OPTIONS = List.of(LIST_DIR, LIST_HTTP_HOSTS, LIST_REFRESH_MINUTES);

    private AddressLists lists;
    private AddressLists.Sources sources = AddressLists.Sources.NONE;
    /** Per step config id: the raw config last parsed, and the settings last known good. */
    private final Map<String, Map<String, String>> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, ControlSettings> lastGood = new ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;
    private int refreshMinutes;

    public RecoveryControlsAuthenticatorFactory() {
        super(PROVIDER_ID, "Governed Recovery: recovery controls (network, rate limits, risk)",
                "Put right after 'choose user' in the reset-credentials flow: refuses or steps up resets by network, "
                    + "limits reset starts and code messages cluster-wide, and raises the bar when the anomaly scorer "
                    + "sees risk. Refusals show the same neutral helpdesk page for every name.");
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new RecoveryControlsAuthenticator(session, this);
    }

    AddressLists lists() {
        return lists;
    }

    /**
     * The controls in force in a realm, for checks outside the reset flow (the contact change): the settings of the
     * reset flow's controls step, the shipped defaults where it has none, or null when its settings never were good.
     */
    public static ControlSettings inForce(KeycloakSession session, RealmModel realm) {
        var factory = (RecoveryControlsAuthenticatorFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(Authenticator.class, PROVIDER_ID);
        var model = ResetFlow.configModel(realm, PROVIDER_ID);
        if (factory == null || model.isEmpty()) {
            return ControlSettings.DEFAULTS;
        }
        return factory.settings(realm, model.get());
    }

    /** The settings in force for a step, or null when it never had good ones (the caller fails closed). */
    ControlSettings settings(RealmModel realm, AuthenticatorConfigModel model) {
        if (model == null) {
            return ControlSettings.DEFAULTS;
        }
        Map<String, String> raw = model.getConfig() == null ? Map.of() : Map.copyOf(model.getConfig());
        String key = model.getId() == null ? realm.getId() + "/" + model.getAlias() : model.getId();
        if (raw.equals(lastSeen.get(key))) {
            return lastGood.get(key);
        }
        try {
            ControlSettings parsed = ControlSettings.from(raw);
            lastGood.put(key, parsed);
            lastSeen.put(key, raw);
            return parsed;
        } catch (IllegalArgumentException bad) {
            ControlSettings previous = lastGood.get(key);
            LOG.errorf("Governed Recovery recovery controls in realm '%s' have a bad setting; %s: %s",
                    realm.getName(), previous == null ? "resets are refused until it is fixed"
                            : "the last good settings stay in force", bad.getMessage());
            lastSeen.put(key, raw);
            return previous;
        }
    }

    @Override
    public void init(Config.Scope config) {
        try {
            refreshMinutes = LIST_REFRESH_MINUTES.number(config::get);
        } catch (InvalidSetting invalid) {
            throw new IllegalArgumentException("Governed Recovery controls: " + invalid.getMessage(), invalid);
        }
        String dir = LIST_DIR.text(config::get);
        Path directory = dir == null ? null : Path.of(dir).toAbsolutePath().normalize();
        String[] hosts = config.getArray(LIST_HTTP_HOSTS.name());
        Set<String> httpHosts = new HashSet<>();
        if (hosts != null) {
            for (String host : hosts) {
                if (host != null && !host.isBlank()) {
                    httpHosts.add(host.trim().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        sources = new AddressLists.Sources(directory, httpHosts);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "governed-recovery-address-lists");
            thread.setDaemon(true);
            return thread;
        });
        lists = new AddressLists(sources, refresher, () -> {
            try (KeycloakSession session = factory.create()) {
                // Keycloak's shared HTTP client (proxy and truststore settings); it outlives this session.
                return session.getProvider(HttpClientProvider.class).getHttpClient();
            }
        });
        refresher.scheduleWithFixedDelay(lists::refreshAll, refreshMinutes, refreshMinutes, TimeUnit.MINUTES);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return Setting.properties(SERVER_OPTIONS);
    }

    /** Where the list at {@code source} stands (policy summary); null before the server started. */
    public static AddressLists.Status listStatus(KeycloakSession session, String source) {
        var factory = (RecoveryControlsAuthenticatorFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(Authenticator.class, PROVIDER_ID);
        return factory == null || factory.lists == null ? null : factory.lists.status(source);
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    @Override
    public String getReferenceCategory() {
        return "governed-recovery";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return Setting.properties(ControlSettings.declared());
    }
}
