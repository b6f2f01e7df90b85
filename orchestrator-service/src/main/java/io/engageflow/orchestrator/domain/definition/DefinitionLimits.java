package io.engageflow.orchestrator.domain.definition;

import java.time.Duration;

/**
 * How big and how deep a definition may be, and how long it may wait: limits at the edge, so that nothing a
 * definition asks for can wedge or overwhelm the engine later (a Delay past the end of time, a step tree too deep to
 * walk, a command too large to send).
 */
public final class DefinitionLimits {
    /** A definition's JSON, in UTF-8 bytes. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Steps in all, counting every path, branch and nested step. */
    public static final int MAX_STEPS = 200;
    /** How deep steps nest in paths and branches (a top-level step is at depth 1). */
    public static final int MAX_DEPTH = 16;
    /** A step id's length: commandId = instance id (36) + ':' + step id + ':' + attempt fits 200 characters. */
    public static final int MAX_STEP_ID_CHARS = 100;
    /** Branches of one Split. */
    public static final int MAX_BRANCHES = 20;
    /** Cases of one Decision. */
    public static final int MAX_CASES = 50;
    /** The longest a Delay may wait, from when it starts. */
    public static final Duration MAX_DELAY = Duration.ofDays(400);
    /** The shortest and longest result deadline a step may set. */
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    private DefinitionLimits() {
    }
}
