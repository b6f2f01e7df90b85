package io.engageflow.runtime.actions;

/**
 * A handler whose actions read their config as records ({@code C} or a record implementing it): the pipeline decodes
 * a command's config once, as the catalog declares it ({@link ActionConfig}), before the handler runs; a config that
 * does not decode is the step's Failure with InvalidConfig and the handler is not run.
 */
public interface TypedConfig<C> {
    /** The record the config of {@code action}, one of the handler's actions, decodes into. */
    Class<? extends C> configType(String action);
}
