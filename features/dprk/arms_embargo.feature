Feature: North Korea's arms embargo
  Since resolution 1718 (2006), operative paragraph 8(b), North Korea must stop exporting
  arms, and every UN Member State must forbid buying arms from North Korea. Resolution 1874
  (paragraph 9) widened that ban to all arms and related materiel, ammunition of any calibre
  included, and resolution 2270 (paragraph 8) to any item that strengthens another State's
  armed forces. One shipment can therefore breach two duties: North Korea's, as the
  exporter, and the buying State's. Reports are allegations; North Korea's denials are
  shown beside every finding, never dropped.
  The embargo also runs the other way: every Member State must prevent arms from reaching
  North Korea (1718, paragraph 8(a); 1874, paragraph 10; 2270, paragraph 6, which added
  small arms). Paragraph 6 of 2270 concerns only that direction, so it is never cited for
  North Korea's exports.

  Rule: Reports of the same flow of arms are one finding, not one per sentence

    @DPRK-ARMS-FLOW @DPRK-ARMS-EXPORT
    Scenario: Three reports of shells for Russia make one finding with every citation
      Given the United States alleges that North Korea shipped artillery shells to Russia in September 2022
      And John Kirby alleges that North Korea supplied ammunition to Russia on 2 November 2022
      And U.S. officials allege that Russia bought rockets from North Korea on 6 September 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP8(b) is flagged
      And it cites the sentence "The United States alleges that North Korea shipped artillery shells to Russia in September 2022"
      And it rests on 3 reports
      And it cites the report of John Kirby
      And it cites the report of U.S. officials

    @DPRK-ARMS-FLOW
    Scenario: Shipments reported in different years are different acts, and an undated report stands alone
      Given the facts:
        """
        - id: ev-shells-2022
          kind: arms_transfer
          summary: North Korea ships shells to Russia in 2022
          act: export
          supplier: PRK
          recipient: RUS
          items: [{category: artillery_shells}]
          date: {month: 2022-09}
          modality: alleged
          asserted_by: [USA]
          cite: [{quote: "North Korea shipped shells to Russia in September 2022"}]
        - id: ev-shells-2024
          kind: arms_transfer
          summary: North Korea ships shells to Russia in 2024
          act: export
          supplier: PRK
          recipient: RUS
          items: [{category: artillery_shells}]
          date: {month: 2024-01}
          modality: alleged
          asserted_by: [USA]
          cite: [{quote: "North Korea shipped shells to Russia in January 2024"}]
        - id: ev-shells-undated
          kind: arms_transfer
          summary: North Korea ships shells to Russia, date not given
          act: export
          supplier: PRK
          recipient: RUS
          items: [{category: artillery_shells}]
          date: {unknown: true}
          modality: alleged
          asserted_by: [USA]
          cite: [{quote: "North Korea has shipped shells to Russia"}]
        """
      When the rules are evaluated
      Then rule DPRK-ARMS-FLOW derives a fact from ev-shells-2022
      And rule DPRK-ARMS-FLOW derives a fact from ev-shells-2024
      And rule DPRK-ARMS-FLOW derives a fact from ev-shells-undated

    @DPRK-ARMS-FLOW
    Scenario: Reports of arms that do not come from North Korea are not combined
      Given the United States alleges that Iran shipped ammunition to Russia on 2 November 2022
      When the rules are evaluated
      Then no possible violation is flagged

  Rule: North Korea exporting arms is a possible breach by North Korea

    @DPRK-ARMS-EXPORT
    Scenario: An alleged shipment of shells to Russia, denied by North Korea
      Given the United States alleges that North Korea shipped artillery shells and ammunition to Russia in September 2022
      And North Korea denies the report
      When the rules are evaluated
      Then a possible violation under 1718 OP8(b) is flagged
      And it cites the sentence "The United States alleges that North Korea shipped artillery shells and ammunition to Russia in September 2022"
      And it cites 1874 OP9 as a binding decision
      And it cites 2270 OP8 as a binding decision
      And it does not cite 2270 OP6
      And it holds North Korea accountable
      And its evidence is alleged
      And it carries the denial by North Korea as counter-evidence
      And it cites the report of the United States

    @DPRK-ARMS-EXPORT
    Scenario: A denial on its own is not evidence of a shipment
      Given North Korea denies that it shipped artillery shells to Russia on 8 November 2022
      When the rules are evaluated
      Then nothing is flagged

    @DPRK-ARMS-EXPORT
    Scenario: Experts' speculation alone does not make a possible violation
      Given experts speculate that North Korea supplied ammunition to Russia at an unknown date
      When the rules are evaluated
      Then nothing is flagged
      And it is set aside because the reports are weaker than required

    @DPRK-ARMS-EXPORT
    Scenario: Medicine instead of arms is not an arms export
      Given Far Eastern Railway reports that North Korea sent medicine to Russia on 2 November 2022
      When the rules are evaluated
      Then nothing is flagged

  Rule: A Member State buying North Korean arms is a possible breach by that State

    @DPRK-ARMS-PROCUREMENT
    Scenario: Russia reportedly buys North Korean rockets and shells
      Given U.S. officials allege that Russia bought rockets and artillery shells from North Korea on 6 September 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP8(b) is flagged
      And it cites the sentence "U.S. officials allege that Russia bought rockets and artillery shells from North Korea on 6 September 2022"
      And it does not cite 2270 OP6
      And it holds Russia accountable
      And it says "as a Member State it must prohibit such procurement"

    @DPRK-ARMS-PROCUREMENT @DPRK-ARMS-EXPORT
    Scenario: A buyer that is not a UN Member State is not bound by the procurement duty
      Given the Holy See (VAT) is a State that is not a UN Member State
      And the United States alleges that North Korea shipped artillery shells to the Holy See on 2 November 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP8(b) is flagged
      And it cites the sentence "The United States alleges that North Korea shipped artillery shells to the Holy See on 2 November 2022"
      And it holds North Korea accountable
      And it is set aside because no provision of its legal basis binds the Holy See

  Rule: A State supplying arms to North Korea is a possible breach by that State

    @DPRK-ARMS-SUPPLY
    Scenario: Russia reportedly sends air-defence systems to North Korea
      Given the Republic of Korea (South Korea) alleges that Russia shipped air-defence systems to North Korea in November 2024
      When the rules are evaluated
      Then a possible violation under 1718 OP8(a)(i)-(ii) is flagged
      And it cites the sentence "The Republic of Korea (South Korea) alleges that Russia shipped air-defence systems to North Korea in November 2024"
      And it cites 1874 OP10 as a binding decision
      And it cites 2270 OP6 as a binding decision
      And it holds Russia accountable
      And it does not cite 1718 OP8(b)
      And it says "every Member State must prevent such supply"

    @DPRK-ARMS-SUPPLY
    Scenario: Small arms for North Korea fall under the ban that 2270 widened
      Given the United States alleges that Russia shipped small arms to North Korea on 2 November 2022
      When the rules are evaluated
      Then a possible violation under 2270 OP6 is flagged
      And it holds Russia accountable

    @DPRK-ARMS-SUPPLY
    Scenario: A supplier's denial on its own is not evidence of a supply
      Given Russia denies that it shipped air-defence systems to North Korea on 2 November 2022
      When the rules are evaluated
      Then nothing is flagged

    @DPRK-ARMS-SUPPLY @DPRK-ARMS-EXPORT
    Scenario: Arms going out of North Korea are not a supply to North Korea
      Given the United States alleges that North Korea shipped artillery shells to Russia on 2 November 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP8(b) is flagged
      And no finding cites 1874 OP10
