package io.governedrecovery.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.events.pipeline.EventPipeline;
import io.governedrecovery.events.sink.file.JsonLinesFileSink;

/**
 * "governed-recovery-events": exports the events that matter to recovery. Add it to a realm's event listeners
 * (Realm settings, Events). The factory reads its settings once and owns the export worker.
 */
public final class RecoveryEventListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = "governed-recovery-events";

    private static final Logger LOG = Logger.getLogger(RecoveryEventListenerFactory.class);

    private EventListenerSettings settings;
    private EventPipeline pipeline;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
        settings = EventListenerSettings.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        try {
            pipeline = new EventPipeline(settings.queueCapacity(),
                    List.of(new JsonLinesFileSink(settings.exportDir(), new ObjectMapper())));
        } catch (IOException e) {
            throw new UncheckedIOException("Governed Recovery cannot create export directory " + settings.exportDir(), e);
        }
        LOG.infof("Governed Recovery events export to %s", settings.exportDir());
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new RecoveryEventListener(session, pipeline);
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return EventListenerSettings.metadata();
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
