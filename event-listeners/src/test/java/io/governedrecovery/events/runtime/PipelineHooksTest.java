package io.governedrecovery.events.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's test hooks act only with the JVM option: a hooks implementation on the class path (this module's test
 * class path lists one) is not even looked for without it.
 */
class PipelineHooksTest {

    /** Listed in this module's test resources, as it-tests' provider JAR lists its hooks. */
    public static final class Listed implements PipelineHooks {
    }

    @AfterEach
    void clear() {
        System.clearProperty(PipelineHooks.ENABLE_PROPERTY);
    }

    @Test
    void without_the_jvm_option_a_listed_implementation_is_ignored() {
        assertThat(PipelineHooks.load()).isSameAs(PipelineHooks.NONE);
        System.setProperty(PipelineHooks.ENABLE_PROPERTY, "yes");
        assertThat(PipelineHooks.load()).isSameAs(PipelineHooks.NONE);
    }

    @Test
    void with_the_jvm_option_the_listed_implementation_is_used() {
        System.setProperty(PipelineHooks.ENABLE_PROPERTY, "true");
        assertThat(PipelineHooks.load()).isInstanceOf(Listed.class);
    }
}
