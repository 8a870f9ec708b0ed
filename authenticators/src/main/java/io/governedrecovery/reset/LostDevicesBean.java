package io.governedrecovery.reset;

import java.util.List;

/** The lost-device page: the strong methods the account has but did not prove in this reset (method ids). */
public final class LostDevicesBean {

    private final List<String> methods;

    LostDevicesBean(List<String> methods) {
        this.methods = List.copyOf(methods);
    }

    public List<String> getMethods() {
        return methods;
    }
}
