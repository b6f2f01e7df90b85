package io.engageflow.common.auth;

import io.engageflow.contracts.auth.Role;

/** Who is calling, once {@link AuthFilter} let the request through: the operator, or a key of one workspace. */
public record Caller(String workspace, Role role, String keyId, boolean operator) {
    /** The request property {@link AuthFilter} leaves the caller under. */
    public static final String PROPERTY = "engageflow.caller";

    static Caller ofOperator() {
        return new Caller(null, Role.ADMIN, null, true);
    }
}
