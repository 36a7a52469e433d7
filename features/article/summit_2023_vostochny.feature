@article
Feature: The Kim Jong Un-Putin summit at Vostochny, 13 September 2023
  "President Putin welcomes North Korean leader Kim Jong Un in Russia's Far East" (Associated
  Press reporting via ETV Bharat, 13 September 2023), curated into cited facts and evaluated
  with every rule. A summit and the hopes each side brings to it are not violations: what
  Russia may want (ammunition) and what Kim may seek (military technology) are speculation.
  The ballistic missiles North Korea fired the same day are a possible violation. Sentence
  numbers are those of `sanctions sources show article-2023-09-13-putin-kim-vostochny`.

  Scenario: Every finding on the summit article, and what stays unflagged
    Given the facts curated from the article "article-2023-09-13-putin-kim-vostochny"
    When the rules are evaluated
    Then these findings are made:
      | finding              | provision   | evidence   | confidence | against     | sentences | rule                          |
      | a possible violation | 1718 OP2    | reported   | high       | North Korea | 10        | DPRK-BALLISTIC-LAUNCH         |
      | a risk               | 1718 OP8(c) | speculated | low        | Russia      | 13        | DPRK-TECHNOLOGY-TRANSFER-RISK |
    And these reports are not flagged as possible violations:
      | report                                               | fact                                       | why                                  |
      | the summit itself                                    | ev-vostochny-summit-2023                   | a meeting of leaders is no violation |
      | Russia may refill its ammunition stores              | ev-dprk-ammunition-for-russia-2023         | speculation, no transfer is reported |
      | Kim is expected to seek military technology         | ev-russia-military-technology-for-dprk-2023 | a risk only                          |
    And these matches are set aside:
      | rule                  | fact                               | provision | reason                                      |
      | DPRK-ARMS-EXPORT      | ev-dprk-ammunition-for-russia-2023 | -         | the reports are weaker than required        |
      | DPRK-ARMS-PROCUREMENT | ev-dprk-ammunition-for-russia-2023 | -         | the reports are weaker than required        |
