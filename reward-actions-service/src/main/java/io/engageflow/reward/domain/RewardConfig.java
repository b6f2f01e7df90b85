package io.engageflow.reward.domain;

import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.json.Decoded;
import io.engageflow.runtime.actions.ActionConfig;
import io.engageflow.runtime.actions.ActionOutcome;
import java.util.Map;

/**
 * Reads the config values the reward actions need. A value a template rendered blank, or one of the wrong kind, is
 * the step's InvalidConfig failure, not an exception (an exception would make the command be tried again and parked).
 */
public final class RewardConfig {
    private RewardConfig() {
    }

    public static Decoded<String> text(Map<String, Object> config, String key) {
        String value = ConfigValues.string(config, key);
        return value == null ? Decoded.failed(key + " is required") : Decoded.ok(value);
    }

    /** The InvalidConfig failure of a value that could not be read. */
    public static ActionOutcome invalid(Decoded<?> unread) {
        return ActionConfig.invalid(unread);
    }
}
