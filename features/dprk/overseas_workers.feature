Feature: North Korean workers abroad
  Resolution 2375, paragraph 17, bars Member States from giving North Koreans work
  authorizations, and resolution 2397, paragraph 8, required every Member State to send
  home all North Koreans earning income in its jurisdiction by 22 December 2019. The duty
  falls on the host State. In territory Russia occupies in Ukraine, which State that is
  remains legally uncertain.

  Rule: Workers earning income abroad are a possible violation by the host State

    @DPRK-WORKERS-ABROAD
    Scenario: Workers reported working in Russia
      Given the United States reports that North Korea sent workers to Russia in March 2022
      When the rules are evaluated
      Then a possible violation under 2397 OP8 is flagged
      And it cites the sentence "The United States reports that North Korea sent workers to Russia in March 2022"
      And it holds Russia accountable

    @DPRK-WORKERS-ABROAD
    Scenario: Workers abroad before the repatriation rules existed
      Given the United States reports that North Korea sent workers to Russia in 2015
      When the rules are evaluated
      Then nothing is flagged
      And it is set aside because no provision of its legal basis was in force

  Rule: A hint or plan to send workers is a risk, not a violation

    @DPRK-WORKERS-PLANNED
    Scenario: A hint of workers for Russian-occupied Ukraine
      Given the Los Angeles Times reports that North Korea hinted at sending workers to Russian-occupied territories in Ukraine in July 2022
      When the rules are evaluated
      Then a risk under 2397 OP8 is flagged
      And it cites the sentence "The Los Angeles Times reports that North Korea hinted at sending workers to Russian-occupied territories in Ukraine in July 2022"
      And it says "Attribution of the host State: uncertain"
      And no possible violation is flagged

    @DPRK-WORKERS-PLANNED
    Scenario: Workers already sent are not a mere plan
      Given the United States reports that North Korea sent workers to Russia in March 2022
      When the rules are evaluated
      Then no risk is flagged
