@article
Feature: Russia's veto of the Panel of Experts' renewal, 28 March 2024
  "Russia blocks renewal of UN panel monitoring North Korea sanctions" (AFP reporting via TRT
  World, 29 March 2024), curated into cited facts and evaluated with every rule. Russia
  vetoed the renewal of the 1718 Committee's Panel of Experts (13 in favour, China
  abstaining); the Panel's mandate ended on 30 April 2024, while the sanctions themselves
  stay in force. A veto is lawful under the Charter: it is context, never a violation.
  The arms transfers the Panel was investigating are not alleged in the article, so no arms
  rule flags them.

  Scenario: The veto is recorded as context, with the reactions to it
    Given the facts curated from the article "article-2024-03-29-russia-blocks-panel"
    When the rules are evaluated
    Then these findings are made:
      | finding        | provision             | evidence  | confidence | against | sentences  | rule         |
      | a context note | Charter Article 27(3) | confirmed | high       | -       | 1, 3, 4, 8 | CONTEXT-VETO |
    And rule CONTEXT-VETO records a context note about ev-veto-panel-renewal-2024
    And it cites "Panel's mandate to expire by May"
    And it has no counter-evidence
    And its commentary is st-kor-irresponsible-decision, st-us-bury-panel-reporting, st-kuleba-guilty-plea, st-nebenzia-panel-unjustified and st-veto-leaves-sanctions-in-force
    And the date check says in force
    And no possible violation is flagged
    And these matches are set aside:
      | rule             | fact                                       | provision | reason                               |
      | DPRK-ARMS-EXPORT | ev-arms-transfers-under-investigation-2024 | -         | the reports are weaker than required |
