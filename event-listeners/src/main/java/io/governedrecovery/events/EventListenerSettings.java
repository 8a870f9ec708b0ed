package io.governedrecovery.events;

import java.nio.file.Path;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Server-wide settings of the event listener, read once when the factory starts. Set them as SPI options, for
 * example {@code --spi-events-listener--governed-recovery-events--export-dir=/var/log/keycloak/recovery}.
 */
public record EventListenerSettings(Path exportDir, int queueCapacity) {

    static final String EXPORT_DIR = "export-dir";
    static final String QUEUE_CAPACITY = "queue-capacity";

    static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    static final int MIN_QUEUE_CAPACITY = 16;
    static final int MAX_QUEUE_CAPACITY = 1_000_000;

    public EventListenerSettings {
        if (queueCapacity < MIN_QUEUE_CAPACITY || queueCapacity > MAX_QUEUE_CAPACITY) {
            throw new IllegalArgumentException("SPI option '" + QUEUE_CAPACITY + "' is " + queueCapacity
                    + "; allowed is " + MIN_QUEUE_CAPACITY + " to " + MAX_QUEUE_CAPACITY);
        }
    }

    static EventListenerSettings from(Config.Scope config) {
        String dir = config.get(EXPORT_DIR);
        Path exportDir = dir == null || dir.isBlank() ? defaultExportDir() : Path.of(dir);
        return new EventListenerSettings(exportDir, config.getInt(QUEUE_CAPACITY, DEFAULT_QUEUE_CAPACITY));
    }

    private static Path defaultExportDir() {
        String home = System.getProperty("kc.home.dir", ".");
        return Path.of(home, "data", "governed-recovery", "export");
    }

    static List<ProviderConfigProperty> metadata() {
        return ProviderConfigurationBuilder.create()
                .property()
                    .name(EXPORT_DIR)
                    .type(ProviderConfigProperty.STRING_TYPE)
                    .helpText("Directory for the JSON Lines export of recovery events. "
                            + "Default: data/governed-recovery/export under the Keycloak home directory.")
                    .add()
                .property()
                    .name(QUEUE_CAPACITY)
                    .type(ProviderConfigProperty.INTEGER_TYPE)
                    .helpText("How many committed events may wait for export before new ones are dropped and counted "
                            + "(never blocking a login). " + MIN_QUEUE_CAPACITY + " to " + MAX_QUEUE_CAPACITY + ".")
                    .defaultValue(DEFAULT_QUEUE_CAPACITY)
                    .add()
                .build();
    }
}
