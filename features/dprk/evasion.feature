Feature: Hiding the route of North Korean shipments
  The embargo covers arms sent "directly or indirectly", so routing through third countries
  does not cure a breach. Every State through which North Korean cargo transits must inspect
  it (2270, paragraph 18). A State can only be said to carry that duty when a report names
  it; a hint about unnamed countries flags no one.

  Rule: Disguising the route of shipments is an evasion indicator

    @DPRK-DECEPTIVE-ROUTING
    Scenario: Shipments made to look bound for the Middle East
      Given John Kirby alleges that North Korea routed its shipments to Russia as if bound for the Middle East on 2 November 2022
      When the rules are evaluated
      Then an evasion indicator under 2270 OP18 is flagged
      And it cites the sentence "John Kirby alleges that North Korea routed its shipments to Russia as if bound for the Middle East on 2 November 2022"
      And no possible violation is flagged

    @DPRK-DECEPTIVE-ROUTING @DPRK-TRANSIT-STATE-INSPECTION
    Scenario: A hint about unnamed transit countries flags nothing
      Given John Kirby hints that North Korea routed its shipments to Russia through unnamed countries on 2 November 2022
      When the rules are evaluated
      Then nothing is flagged

  Rule: A transit State named in a report carries the inspection duty

    @DPRK-TRANSIT-STATE-INSPECTION
    Scenario: Shipments routed through a named State
      Given Mongolia (MNG) is a UN Member State
      And the United States alleges that North Korea routed its shipments to Russia through Mongolia on 2 November 2022
      When the rules are evaluated
      Then a risk under 2270 OP18 is flagged
      And it cites the sentence "The United States alleges that North Korea routed its shipments to Russia through Mongolia on 2 November 2022"
      And it holds Mongolia accountable

    @DPRK-TRANSIT-STATE-INSPECTION
    Scenario: No transit State is flagged when none is named
      Given John Kirby alleges that North Korea routed its shipments to Russia as if bound for North Africa on 2 November 2022
      When the rules are evaluated
      Then no risk is flagged
