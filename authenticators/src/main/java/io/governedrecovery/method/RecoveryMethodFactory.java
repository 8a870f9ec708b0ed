package io.governedrecovery.method;

import io.governedrecovery.spi.StatelessFactory;

/**
 * Factory of a {@link RecoveryMethod}; its id is the method id. Methods are stateless, so their factories are too
 * (a plugin with server options overrides {@code init}).
 */
public interface RecoveryMethodFactory extends StatelessFactory<RecoveryMethod> {
}
