package io.governedrecovery.method;

import java.util.Comparator;
import java.util.List;

import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderFactory;

/** The recovery methods this server has, by id, in display order (highest {@code order()} first, then by id). */
public final class RecoveryMethods {

    private RecoveryMethods() {
    }

    public static List<String> installed(KeycloakSessionFactory factory) {
        Comparator<ProviderFactory<?>> byOrder = Comparator.comparingInt(f -> -f.order());
        return factory.getProviderFactoriesStream(RecoveryMethod.class)
                .<ProviderFactory<?>>map(f -> f)
                .sorted(byOrder.thenComparing(ProviderFactory::getId))
                .map(ProviderFactory::getId)
                .toList();
    }
}
