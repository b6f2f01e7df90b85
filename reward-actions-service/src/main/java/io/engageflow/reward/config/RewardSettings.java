package io.engageflow.reward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What reward-actions-service can be configured with besides the shared settings (service-common's, the delivery
 * kit's, action-runtime's {@code engageflow.actions.*}). README "Configuration" lists these settings; a test holds the
 * two together.
 */
@ConfigMapping(prefix = "engageflow.rewards")
public interface RewardSettings {
    /** Where a coupon is redeemed: its link is this, then {@code /<coupon id>}. */
    @WithDefault("https://rewards.engageflow.local/coupons")
    String couponLinkBase();

    /** Where a wallet card is shown: its link is this, then {@code /<card id>}. */
    @WithDefault("https://rewards.engageflow.local/cards")
    String cardLinkBase();
}
