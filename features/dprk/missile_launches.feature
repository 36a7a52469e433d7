Feature: North Korea's ballistic-missile launches
  The Security Council has decided that North Korea shall not conduct any launch that uses
  ballistic-missile technology, of any range, and no nuclear test: resolution 1718
  (paragraph 5), 1874 (paragraph 3) and 2094 (paragraph 2), reaffirmed by 2270 (paragraph
  2). Resolutions 1718 (paragraph 2), 1874 (paragraph 2) and 2087 (paragraph 3) "demand" the
  same; findings cite them too, but as demands, not decisions. Cruise missiles, artillery
  and military drills are not banned by any Security Council text. How sure a finding is
  depends on what the report says: "ballistic" or "ICBM" is clear; "missiles" alone is not.

  Rule: A launch the report calls ballistic is a possible violation of high confidence

    @DPRK-BALLISTIC-LAUNCH
    Scenario: An intercontinental ballistic missile
      Given the Los Angeles Times reports that North Korea launched an intercontinental ballistic missile on 3 November 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP5 is flagged
      And it cites the sentence "The Los Angeles Times reports that North Korea launched an intercontinental ballistic missile on 3 November 2022"
      And it cites 1718 OP5 as a binding decision
      And it cites 2094 OP2 as a binding decision
      And it cites 2270 OP2 as a binding decision
      And it cites 1718 OP2 as a demand, not a decision
      And it cites 2087 OP3 as a demand, not a decision
      And its confidence is high
      And it holds North Korea accountable
      And it cites the report of the Los Angeles Times

    @DPRK-BALLISTIC-LAUNCH
    Scenario: A launch in 2007 falls only under resolution 1718
      Given the Los Angeles Times reports that North Korea launched short-range ballistic missiles in June 2007
      When the rules are evaluated
      Then a possible violation under 1718 OP5 is flagged
      And it cites 1718 OP2 as a demand, not a decision
      And it does not cite 2094 OP2

    @DPRK-BALLISTIC-LAUNCH @DPRK-MISSILE-LAUNCH-UNSPECIFIED
    Scenario: Artillery firing is never a launch violation
      Given North Korea says that North Korea fired artillery on 2 November 2022
      When the rules are evaluated
      Then nothing is flagged

    @DPRK-BALLISTIC-LAUNCH @DPRK-MISSILE-LAUNCH-UNSPECIFIED
    Scenario: A cruise missile is not covered by the launch bans
      Given the Los Angeles Times reports that North Korea launched a cruise missile on 2 November 2022
      When the rules are evaluated
      Then nothing is flagged

  Rule: Launches of "missiles" of no stated type are possible violations of medium confidence

    @DPRK-MISSILE-LAUNCH-UNSPECIFIED
    Scenario: Dozens of missiles fired during a week
      Given the Los Angeles Times reports that North Korea test-fired dozens of missiles between 2 November 2022 and 5 November 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP5 is flagged
      And it cites the sentence "The Los Angeles Times reports that North Korea test-fired dozens of missiles between 2 November 2022 and 5 November 2022"
      And its confidence is medium
      And it says "whose type the report does not give"

    @DPRK-MISSILE-LAUNCH-UNSPECIFIED
    Scenario: Launches before the first launch ban are outside it
      Given the Los Angeles Times reports that North Korea launched missiles in July 2006
      When the rules are evaluated
      Then nothing is flagged
      And it is set aside because no provision of its legal basis was in force

