/** The payment agreement and the E-SIGN disclosure: Spanish, the same keys as the English. */
import type { DocumentWords } from '../en/documents.js';

export const documents: DocumentWords = {
  agreementTitle: 'Acuerdo de pago', agreementPayee: 'Beneficiario: {agency}, que cobra en nombre de {creditor}, cuenta {account}.', agreementPayer: 'Pagador: {payer}.',
  agreementAch: 'cuenta bancaria ({type}) terminada en {last4}', agreementWallet: 'billetera terminada en {last4}', agreementCard: 'tarjeta {brand} terminada en {last4}',
  achChecking: 'corriente', achSavings: 'de ahorros',
  agreementOnce: 'Autorizo a {agency} a cobrar {amount} a mi {method} el {date}.',
  agreementMany: 'Autorizo a {agency} a cobrar a mi {method} {n} veces, {total} en total, en estas fechas:',
  agreementCharge: '  {n}. {date}: {amount}',
  agreementSettles: 'Cuando se hagan todos los pagos anteriores, el saldo de {balance} queda liquidado por completo.',
  agreementNacha1: 'Autorizo a {agency} y a su banco a iniciar débitos electrónicos (ACH) en la cuenta indicada por los montos y en las fechas mostradas,',
  agreementNacha2: 'y, si un débito se hace por error, a corregirlo. Esta autorización sigue vigente hasta el último pago o hasta que yo',
  agreementNacha3: 'notifique a {agency} que la revoco, con tiempo para actuar (al menos 3 días hábiles antes de una fecha de pago).',
  agreementRetries: 'Un pago rechazado puede intentarse de nuevo como indica el calendario. Puedo cancelar los pagos restantes en cualquier momento.',
  agreementSignature: 'Escribir mi nombre abajo es mi firma electrónica y tiene el mismo efecto que una firma manuscrita.',
  esignTitle: 'Consentimiento para avisos y recibos electrónicos',
  esign1: 'Puede recibir en papel, por correo postal, los avisos, recibos y acuerdos de pago de esta cuenta. No está obligado a aceptar la entrega electrónica; decir que no no tiene costo y no afecta su cuenta.',
  esign2: 'Si acepta, le enviaremos estos documentos por correo electrónico y, si nos da un número de celular, por mensaje de texto en lugar de en papel. Su consentimiento cubre los avisos sobre esta cuenta, los recibos de pago, los acuerdos de pago y calendarios de planes, y las respuestas a disputas o solicitudes que haga en línea.',
  esign3: 'Puede retirar su consentimiento en cualquier momento y sin costo: use el enlace de cualquier correo, responda STOP a cualquier mensaje de texto, llámenos o escríbanos. El retiro tiene efecto de inmediato; los documentos posteriores llegarán en papel. Puede pedir sin costo una copia en papel de cualquier documento.',
  esign4: 'Para actualizar su correo electrónico o su número de celular, escríbalo de nuevo aquí o avísenos por teléfono o por correo postal.',
  esign5: 'Para abrir los documentos necesita un dispositivo con un navegador web actual y un programa de correo electrónico, y una forma de ver archivos PDF (la mayoría de los navegadores pueden). Al aceptar, confirma que puede abrir esta página, lo que muestra que puede leer los documentos que le enviamos.',
};
