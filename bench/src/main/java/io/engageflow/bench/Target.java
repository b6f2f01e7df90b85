package io.engageflow.bench;

/** A system under test: how a trigger is sent to it. Its completions reach the current {@link Tracker}. */
interface Target extends AutoCloseable {
    /** Creates what the run needs (workflow, offer, subscriptions) with the webhook pointing at the sink. */
    void prepare(String sinkUrl) throws Exception;

    /** Sends one trigger for contact {@code key} without waiting for the system's answer. */
    void send(String key);

    /** Sends the system refused or that failed in transit. */
    int sendErrors();

    /** Whether an instance is done only once the system reports its end too (mesh), not at the webhook alone. */
    boolean reportsEnd();

    @Override
    void close() throws Exception;
}
