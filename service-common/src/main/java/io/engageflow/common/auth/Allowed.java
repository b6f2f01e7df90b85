package io.engageflow.common.auth;

import io.engageflow.contracts.auth.Role;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a REST endpoint asks for (an admin key may call every endpoint of its workspace; the operator key any).
 * An endpoint without it, on the method or its class, is open to the operator key only: secure by default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Allowed {
    Role value();
}
