package io.governedrecovery.events;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.events.pipeline.EventPipeline;
import io.governedrecovery.events.pipeline.PipelineSettings;
import io.governedrecovery.flow.RecoveryEvents;

/**
 * "governed-recovery-events": exports, scores and keeps the events that matter to recovery. Add it to a realm's
 * event listeners (Realm settings, Events), and keep the realm's event store on so a crash loses nothing. The factory
 * reads its settings once and owns the pipeline's threads.
 */
public final class RecoveryEventListenerFactory implements EventListenerProviderFactory {

    public static final String PROVIDER_ID = RecoveryEvents.LISTENER_ID;

    private PipelineSettings settings;
    private EventPipeline pipeline;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {
        settings = PipelineSettings.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        pipeline = new EventPipeline(settings, factory);
        pipeline.start(factory);
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new RecoveryEventListener(session, pipeline);
    }

    /** The running pipeline (for the risk provider and the admin endpoint of the same JAR). */
    public EventPipeline pipeline() {
        return pipeline;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return PipelineSettings.metadata();
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
