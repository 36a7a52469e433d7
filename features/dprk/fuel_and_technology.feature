Feature: Fuel and military technology for North Korea
  Refined petroleum may go to North Korea within the cap of resolution 2397, paragraph 5,
  if it is notified; crude oil is capped by paragraph 4, and aviation or rocket fuel is
  banned by resolution 2270, paragraph 31. Technical help with arms (1718, paragraph 8(c)),
  items that strengthen North Korea's forces (2270, paragraph 8) and scientific cooperation
  (2321, paragraph 11) are banned. Experts saying that such supplies "may" come is
  speculation: at most a risk, never a possible violation.

  Rule: Speculation about fuel is at most a low-confidence risk

    @DPRK-FUEL-SUPPLY-RISK
    Scenario: Experts think North Korea may seek Russian fuel
      Given experts speculate that Russia supplied fuel to North Korea at an unknown date
      When the rules are evaluated
      Then a risk under 2397 OP5 is flagged
      And it cites the sentence "Experts speculate that Russia supplied fuel to North Korea at an unknown date"
      And its confidence is low
      And no possible violation is flagged

    @DPRK-FUEL-SUPPLY-RISK
    Scenario: Fuel sold by North Korea is not a supply to North Korea
      Given experts speculate that North Korea supplied fuel to Russia at an unknown date
      When the rules are evaluated
      Then nothing is flagged

  Rule: Speculation about military technology is a low-confidence risk

    @DPRK-TECHNOLOGY-TRANSFER-RISK
    Scenario: Experts think Russia may transfer military technology
      Given experts speculate that Russia supplied military technology to North Korea at an unknown date
      When the rules are evaluated
      Then a risk under 1718 OP8(c) is flagged
      And it cites the sentence "Experts speculate that Russia supplied military technology to North Korea at an unknown date"
      And it holds Russia accountable
      And no possible violation is flagged

    @DPRK-TECHNOLOGY-TRANSFER-RISK
    Scenario: Food is neither technology nor banned
      Given the Los Angeles Times reports that Russia sent food to North Korea on 2 November 2022
      When the rules are evaluated
      Then nothing is flagged
