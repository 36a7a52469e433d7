Feature: Vetoes and recognitions are context, never violations
  A permanent member's veto is a lawful act under the UN Charter (Article 27(3)). No
  Security Council resolution forbids recognising the "Donetsk" and "Luhansk" people's
  republics. The General Assembly took a position that binds no one: resolution ES-11/1
  (paragraph 6) demands that the Russian Federation reverse its decision, and ES-11/4
  (paragraph 4) calls on all States not to recognise any change of the regions' status by
  the Russian Federation. The engine records these acts as context so analysts see them, and never as
  possible violations.

  Rule: A veto of a sanctions draft is recorded as context

    @CONTEXT-VETO
    Scenario: Russia and China veto tougher sanctions on North Korea
      Given Russia and China vetoed draft resolution S/2022/431 on tougher sanctions on North Korea on 26 May 2022
      When the rules are evaluated
      Then a context note under Charter Article 27(3) is recorded
      And it cites the sentence "Russia and China vetoed draft resolution S/2022/431 on tougher sanctions on North Korea on 26 May 2022"
      And it says "A veto is lawful"
      And no possible violation is flagged

    @CONTEXT-VETO
    Scenario: A resolution the Council adopts is not a veto
      Given the Security Council adopted resolution S/RES/2397 on tougher sanctions on North Korea on 22 December 2017
      When the rules are evaluated
      Then nothing is flagged

  Rule: Recognising the Donetsk and Luhansk entities is context only

    @CONTEXT-RECOGNITION
    Scenario: North Korea recognises Donetsk and Luhansk in July 2022
      Given North Korea recognised Donetsk People's Republic and Luhansk People's Republic as independent on 13 July 2022
      When the rules are evaluated
      Then a context note under A/RES/ES-11/1 OP6 is recorded
      And it cites the sentence "North Korea recognised Donetsk People's Republic and Luhansk People's Republic as independent on 13 July 2022"
      And it cites A/RES/ES-11/1 OP6 as a demand, not a decision
      And it says "runs against the General Assembly's stated position"
      And it does not cite A/RES/ES-11/4 OP4
      And no possible violation is flagged

    @CONTEXT-RECOGNITION
    Scenario: A recognition before the General Assembly spoke cites no resolution
      Given Russia recognised Donetsk People's Republic as independent on 21 February 2022
      When the rules are evaluated
      Then nothing is flagged
      And it is set aside because no provision of its legal basis was in force
