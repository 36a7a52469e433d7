Feature: Luxury goods for North Korea
  Resolution 1718, paragraph 8(a)(iii), obliges every Member State to prevent the supply of
  luxury goods to North Korea. The ban runs one way, to North Korea, and the duty falls on
  the supplying State. The Council never defined "luxury goods": the supplying State decides
  what they are. Resolution 2094, paragraph 23, says they include, "but are not limited
  to", the items of its Annex IV (jewellery, yachts, luxury cars); later annexes add more
  (watches, rugs, tableware). None of them names horses.

  Rule: Goods on the UN's luxury lists are a possible violation by the supplier

    @DPRK-LUXURY-GOODS
    Scenario: Luxury cars for Kim Jong Un
      Given the Los Angeles Times reports that China sent luxury cars to Kim Jong Un in March 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP8(a)(iii) is flagged
      And it cites the sentence "The Los Angeles Times reports that China sent luxury cars to Kim Jong Un in March 2022"
      And it cites 2094 OP23 as a binding decision
      And it holds China accountable
      And its confidence is medium

    @DPRK-LUXURY-GOODS
    Scenario: Luxury goods going out of North Korea are outside the ban
      Given the Los Angeles Times reports that North Korea sent jewellery to China in March 2022
      When the rules are evaluated
      Then nothing is flagged

  Rule: Pure-bred horses are only a definitional, low-confidence finding
    The supplying State decides what a luxury good is, and no UN annex names horses; only
    national lists (the EU's, the UK's) do. A shipment of pure-bred horses is therefore a
    possible violation only if horses count as luxury goods: low confidence, close to a risk.

    @DPRK-LUXURY-HORSES
    Scenario: Russia's trainload of horses for Kim Jong Un
      Given Far Eastern Railway reports that Russia sent 30 pure-bred horses to Kim Jong Un on 2 November 2022
      When the rules are evaluated
      Then a possible violation under 1718 OP8(a)(iii) is flagged
      And it cites the sentence "Far Eastern Railway reports that Russia sent 30 pure-bred horses to Kim Jong Un on 2 November 2022"
      And its confidence is low
      And it holds Russia accountable
      And it says "the supplying State decides what a luxury good is"
      And it says "only on national luxury-goods lists (EU, UK)"
      And it says "a possible violation only if pure-bred horses count as luxury goods"
      And it says "No Panel of Experts finding on it is known"

    @DPRK-LUXURY-HORSES
    Scenario: Medicine on the next train is not a luxury good
      Given Far Eastern Railway plans to send medicine to North Korea at an unknown date
      When the rules are evaluated
      Then nothing is flagged
