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

  Rule: Refined petroleum delivered in one year above the cap is a possible violation

    @DPRK-REFINED-PETROLEUM-CAP
    Scenario: Three deliveries in 2024, in barrels and tonnes, add up above the cap
      Given the facts:
        """
        - id: ev-fuel-march
          kind: goods_supply
          summary: Russia delivers refined petroleum to North Korea in March 2024
          supplier: RUS
          recipient: PRK
          items: [{category: refined_petroleum, amount: {value: 200000, unit: barrel}}]
          date: {month: 2024-03}
          modality: reported
          asserted_by: [la-times]
          cite: [{quote: "Russia delivered 200,000 barrels of refined petroleum in March 2024"}]
        - id: ev-fuel-june
          kind: goods_supply
          summary: China delivers refined petroleum to North Korea in June 2024
          supplier: CHN
          recipient: PRK
          items: [{category: refined_petroleum, amount: {value: 30000, unit: tonne}}]
          date: {month: 2024-06}
          modality: reported
          asserted_by: [la-times]
          cite: [{quote: "China delivered 30,000 tonnes of refined petroleum in June 2024"}]
        - id: ev-fuel-october
          kind: goods_supply
          summary: Russia delivers refined petroleum to North Korea in October 2024
          supplier: RUS
          recipient: PRK
          items: [{category: refined_petroleum, amount: {value: 150000, unit: barrel}}]
          date: {month: 2024-10}
          modality: reported
          asserted_by: [la-times]
          cite: [{quote: "Russia delivered 150,000 barrels of refined petroleum in October 2024"}]
        """
      When the rules are evaluated
      Then rule DPRK-REFINED-PETROLEUM-CAP flags a possible violation
      And it rests on the facts ev-fuel-june, ev-fuel-march and ev-fuel-october
      And it says "569,900 barrels in 2024, against a cap of 500,000 barrels a year"
      And its provisions are 2397 OP5

    @DPRK-REFINED-PETROLEUM-CAP
    Scenario: The same three deliveries, smaller, stay within the cap
      Given the facts:
        """
        - id: ev-fuel-march
          kind: goods_supply
          summary: Russia delivers refined petroleum to North Korea in March 2024
          supplier: RUS
          recipient: PRK
          items: [{category: refined_petroleum, amount: {value: 100000, unit: barrel}}]
          date: {month: 2024-03}
          modality: reported
          asserted_by: [la-times]
          cite: [{quote: "Russia delivered 100,000 barrels of refined petroleum in March 2024"}]
        - id: ev-fuel-june
          kind: goods_supply
          summary: China delivers refined petroleum to North Korea in June 2024
          supplier: CHN
          recipient: PRK
          items: [{category: refined_petroleum, amount: {value: 10000, unit: tonne}}]
          date: {month: 2024-06}
          modality: reported
          asserted_by: [la-times]
          cite: [{quote: "China delivered 10,000 tonnes of refined petroleum in June 2024"}]
        - id: ev-fuel-october
          kind: goods_supply
          summary: Russia delivers refined petroleum to North Korea in October 2024
          supplier: RUS
          recipient: PRK
          items: [{category: refined_petroleum, amount: {value: 50000, unit: barrel}}]
          date: {month: 2024-10}
          modality: reported
          asserted_by: [la-times]
          cite: [{quote: "Russia delivered 50,000 barrels of refined petroleum in October 2024"}]
        """
      When the rules are evaluated
      Then rule DPRK-REFINED-PETROLEUM-CAP flags nothing
      And rule DPRK-REFINED-PETROLEUM-CAP sets aside the match of ev-fuel-june, ev-fuel-march and ev-fuel-october because "do not exceed the cap"
