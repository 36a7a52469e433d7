Feature: Iran's drones for Russia under resolution 2231
  Resolution 2231 (2015), Annex B paragraph 4, required the Security Council's approval in
  advance for transfers to or from Iran of the items listed in document S/2015/546 (the MTCR
  list) and of items a State determines could contribute to nuclear-weapon delivery systems,
  until 18 October 2023. A drone is on that list only if it can fly 300 km or more, which
  reports rarely establish: a finding is conditional on it, and of low confidence.
  France, the United Kingdom and the United States called Iran's drones for Russia a breach;
  Iran and Russia contest it. Paragraph 6(b), the ban on arms from Iran, expired on 18
  October 2020 and never applies to these drones.

  Rule: Drones from Iran while paragraph 4 was in force are a conditional, contested possible violation

    @IRAN-2231-MTCR-TRANSFER
    Scenario: Russia buys Iranian drones in August 2022
      Given U.S. officials report that Russia bought drones from Iran in August 2022
      When the rules are evaluated
      Then a possible violation under 2231 Annex B para 4 is flagged
      And it cites the sentence "U.S. officials report that Russia bought drones from Iran in August 2022"
      And it holds Iran accountable
      And it holds Russia accountable
      And its confidence is low
      And it says "If they are items listed in S/2015/546"
      And it says "Contested"
      And it does not cite 2231 Annex B para 6(b)

    @IRAN-2231-MTCR-TRANSFER
    Scenario: Iran's claim that the drones went before the war does not take them outside paragraph 4
      Given Iran's foreign minister admits that Iran supplied drones to Russia between 1 January 2022 and 23 February 2022
      When the rules are evaluated
      Then a possible violation under 2231 Annex B para 4 is flagged
      And it cites the sentence "Iran's foreign minister admits that Iran supplied drones to Russia between 1 January 2022 and 23 February 2022"
      And its evidence is admitted
      And the date check says in force

    @IRAN-2231-MTCR-TRANSFER
    Scenario: The same transfer after paragraph 4 expired is not flagged
      Given U.S. officials report that Russia bought drones from Iran in March 2024
      When the rules are evaluated
      Then nothing is flagged
      And it is set aside because no provision of its legal basis was in force

  Rule: The arms ban of paragraph 6(b) applies only until 18 October 2020

    @IRAN-2231-ARMS-EXPORT
    Scenario: Arms from Iran in 2019, while paragraph 6(b) was in force
      Given the United States alleges that Iran shipped small arms to Russia in 2019
      When the rules are evaluated
      Then a possible violation under 2231 Annex B para 6(b) is flagged
      And it cites the sentence "The United States alleges that Iran shipped small arms to Russia in 2019"
      And it holds Russia accountable

    @IRAN-2231-ARMS-EXPORT
    Scenario: Drones from Iran in 2022 are never a paragraph 6(b) violation
      Given U.S. officials report that Russia bought drones from Iran in August 2022
      When the rules are evaluated
      Then it is set aside because no provision of its legal basis was in force
