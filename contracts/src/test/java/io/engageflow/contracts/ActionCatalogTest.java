package io.engageflow.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.contracts.catalog.ActionCatalog;
import io.engageflow.contracts.catalog.ActionSpec;
import io.engageflow.contracts.catalog.Category;
import io.engageflow.contracts.catalog.ConfigKey;
import io.engageflow.contracts.catalog.ConfigValues;
import io.engageflow.contracts.catalog.ValueType;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionCatalogTest {

    @Test
    void everyActionOfTheContractIsInItsService() {
        assertThat(ActionCatalog.ofCategory(Category.CONTACT)).extracting(ActionSpec::name).containsExactly(
                "ContactUpdate", "ContactFilter", "ContactAddToList", "ContactRemoveFromList", "ContactEmailSend",
                "ContactSmsSend");
        assertThat(ActionCatalog.ofCategory(Category.REWARD)).extracting(ActionSpec::name).containsExactly(
                "ContactCouponIssue", "AssignContactAchievement", "ContactVaultCardIssue", "LoyaltyAwardPoints",
                "LoyaltyRedeemPoints", "LoyaltyAddToTier", "LoyaltyRemoveFromTier", "AssignBonusCompetitionEntries",
                "CompetitionEntryAddTags", "CompetitionEntryRemoveTags", "GameplayFilter", "AssignGameplayScore");
        assertThat(ActionCatalog.ofCategory(Category.INTEGRATION)).extracting(ActionSpec::name).containsExactly(
                "SalesforceCreateObject", "SalesforceUpdateObject", "SalesforceGetObject", "MailchimpUpsert",
                "MailchimpAddTags", "MailchimpRemoveTags", "MailchimpUnsubscribe", "MailchimpArchive",
                "MailchimpDelete", "BrazeTrackUser", "LocalCardSendCardFromTemplate", "LocalCardGenerateCampaignGift",
                "ContactThuziCheckIn", "HttpRequest");
    }

    @Test
    void onlyTheFiltersAreReadOnlySoATestRunPerformsNothingElse() {
        // SalesforceGetObject reads too, but at a provider: a test run must not call it
        assertThat(ActionCatalog.all()).filteredOn(ActionSpec::readOnly).extracting(ActionSpec::name)
                .containsExactly("ContactFilter", "GameplayFilter");
    }

    @Test
    void couponIssueHasTheReferenceSettingsDefaultsPathsAndOutputs() {
        ActionSpec coupon = ActionCatalog.find("ContactCouponIssue").orElseThrow();
        assertThat(coupon.key("offer")).get().extracting(ConfigKey::required).isEqualTo(true);
        assertThat(ActionCatalog.withDefaults(coupon, Map.of("offer", "10% Discount")))
                .containsEntry("quantity", 1).containsEntry("allowPartialAward", false)
                .doesNotContainKey("contactLimit");
        assertThat(coupon.paths()).containsExactlyInAnyOrder("Success", "OfferLimitsExceeded", "OfferExpired",
                "Failure");
        assertThat(coupon.outputs()).containsExactly("coupon_id", "coupon_link", "coupon_code", "coupon_count");
    }

    @Test
    void everyActionHasFailureAndIntegrationActionsExceptHttpRequestNeedAProvider() {
        assertThat(ActionCatalog.all()).allMatch(a -> a.hasPath("Failure") && a.hasPath("Success"));
        assertThat(ActionCatalog.ofCategory(Category.INTEGRATION))
                .allMatch(a -> a.name().equals("HttpRequest") == (a.provider() == null));
        assertThat(ActionCatalog.find("LocalCardGenerateCampaignGift").orElseThrow().key("deliveryMethod"))
                .get().extracting(ConfigKey::defaultValue).isEqualTo("Link");
        assertThat(ActionCatalog.find("NoSuchAction")).isEmpty();
    }

    @Test
    void aNumberAcceptedByValidationIsTheNumberTheActionReads() {
        // "Card value: $25" in the reference: validation accepts it, so the action must read 25, not nothing
        for (Object written : java.util.List.of("$25", " 25 ", 25, "$ 2.5", "2.5")) {
            assertThat(ValueType.NUMBER.accepts(written)).as("%s accepted", written).isTrue();
            assertThat(ConfigValues.number(Map.of("cardValue", written), "cardValue")).as("%s read", written)
                    .isPresent();
        }
        assertThat(ConfigValues.number(Map.of("cardValue", "$25"), "cardValue")).contains(new BigDecimal("25"));
        for (Object written : java.util.List.of("25$", "2$5", "twenty", "", true)) {
            assertThat(ValueType.NUMBER.accepts(written)).as("%s refused", written).isFalse();
            assertThat(ConfigValues.number(Map.of("cardValue", written), "cardValue")).isEmpty();
        }
    }
}
